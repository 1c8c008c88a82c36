// Found by the admin-surface property test (admin-surface.property.test.ts):
// add_team_member gives the new member the team's shares (and field shares)
// without asking whether the caller could have granted them. An environment
// admin (write on team, no business privileges) adds dave to a team that
// holds a share of carol's account; dave then reads and writes the account,
// although the admin's own grant_access of it is refused. The rule: no admin
// call may give any principal — through an access team or a share — a right
// the caller could not have granted directly, so adding a member needs, for
// each share of the team, what grant_access needs (and share_field for each
// field share), as it already needs assign_role's checks for the team's roles
// (sql/072 add_team_member).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let account: string;

beforeAll(async () => {
  db = await securedDatabase('admin');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('henry', 'root', ['env_admin']);
  await org.createUser('carol', 'root', ['sales_user']);
  await org.createUser('dave', 'root', ['sales_user']);
  account = await org.record('account', 'carols_account', 'carol');
  for (const [team, type] of [['deal_owners', 'owner'], ['deal_access', 'access']] as const) {
    await org.createTeam(team, 'root', type);
    await org.as('carol', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', account, org.id(team), ['read', 'write']]);
  }
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('add_team_member on a team holding shares the caller could not grant', () => {
  it('the caller cannot grant the share directly (the control)', async () => {
    const err = await org.refused('henry', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', account, org.id('dave'), ['read']]);
    expect(err.code).toBe('22023'); // henry cannot read the account: reported as no such record
  });
  for (const team of ['deal_owners', 'deal_access']) {
    it(`is refused with 42501 and gives nothing (${team})`, async () => {
      const err = await org.refused('henry', 'select rowscope.add_team_member($1, $2)', [org.id(team), org.id('dave')]);
      expect(err.code).toBe('42501');
      expect(await org.visible('dave', 'account')).toEqual([]);
      const [m] = await org.admin('select count(*)::int as n from rowscope.team_member where team_id = $1', [org.id(team)]);
      expect(m.n).toBe(0);
    });
  }
});
