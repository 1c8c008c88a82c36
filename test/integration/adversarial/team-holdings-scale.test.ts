// A team may hold thousands of shares: adding a member checks them as one
// query per table (sql/135 _require_team_holdings_grantable), with each grant
// summary computed once (the session cache, sql/045), not once per share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

const SHARES = 3000;
let db: TestDatabase;
let org: Org;
let outside: string;

beforeAll(async () => {
  db = await securedDatabase('admin');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  // role_admin: team write, and read, write, share on the accounts of its BU
  await org.createUser('rita', 'root', ['role_admin']);
  await org.createUser('mia', 'root', ['sales_user']);
  await org.createUser('erin', 'east', ['sales_user']);
  await org.createUser('dave', 'root', ['sales_user']);
  await org.createTeam('big', 'root');
  await org.admin(`insert into app.account (name, owner_id) select 'a' || g, $1 from generate_series(1, $2) g`, [org.id('mia'), SHARES]);
  await org.admin(`insert into rowscope.record_share (table_name, record_id, principal_id, rights)
                   select 'account', id, $1, '{read,write}' from app.account`, [org.id('big')]);
}, 120_000);
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe(`add_team_member on a team holding ${SHARES} shares`, () => {
  it('is allowed to a caller holding them all, in one pass', async () => {
    const started = Date.now();
    await org.as('rita', 'select rowscope.add_team_member($1, $2)', [org.id('big'), org.id('dave')]);
    const ms = Date.now() - started;
    console.log(`[team holdings] add_team_member over ${SHARES} shares: ${ms} ms`);
    expect(ms).toBeLessThan(20_000);
    expect((await org.visible('dave', 'account')).length).toBe(SHARES);
  });

  it('is refused naming the one record outside the caller\'s reach', async () => {
    outside = (await org.admin(`insert into app.account (name, owner_id) values ('outside', $1) returning id`, [org.id('erin')]))[0].id;
    await org.admin(`insert into rowscope.record_share (table_name, record_id, principal_id, rights) values ('account', $1, $2, '{read}')`, [outside, org.id('big')]);
    const err = await org.refused('rita', 'select rowscope.add_team_member($1, $2)', [org.id('big'), org.id('mia')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain(`lacks read on account ${outside}`);
    const [m] = await org.admin('select count(*)::int as n from rowscope.team_member where team_id = $1 and user_id = $2', [org.id('big'), org.id('mia')]);
    expect(m.n).toBe(0);
  });
});
