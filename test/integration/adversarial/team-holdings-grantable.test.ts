// Joining a team gives its shares and field shares (sql/135
// _require_team_holdings_grantable): add_team_member, create_user and
// move_user into a BU whose default team holds them (sql/074), and
// add_access_team_member on a team holding more than its template, need what
// grant_access and share_field would need for each — read and share on the
// record and every right of the share (cascaded shares included), the
// caller's own read (and update) of a shared column. A record's access team is
// no principal of grant_access, modify_access, revoke_access, share_field or
// add_profile_member (sql/072 _refuse_record_team_principal: 22023, checked
// first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let account: string;
let contact: string;
let recordTeam: string;

const members = async (team: string) =>
  (await org.admin<{ n: number }>('select count(*)::int as n from rowscope.team_member where team_id = $1', [team]))[0]!.n;
const shareCount = async () => (await org.admin<{ n: number }>('select count(*)::int as n from rowscope.record_share'))[0]!.n;

beforeAll(async () => {
  db = await securedDatabase('admin');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createUser('henry', 'root', ['env_admin']); // team and user admin, no business rights
  await org.createUser('mia', 'root', ['env_admin', 'sales_user']); // owns the account, not the contact under it
  await org.createUser('steward', 'root', ['env_admin', 'data_steward']); // every right on accounts and contacts, no column
  await org.createUser('paula', 'root', ['env_admin', 'data_steward']); // the same, and revenue_read
  await org.admin('select rowscope.add_profile_member($1, $2)', ['revenue_read', org.id('paula')]);
  await org.createUser('carol', 'root', ['sales_user']);
  await org.createUser('dave', 'root', ['sales_user']);
  await org.createUser('bob', 'root', ['sales_user']);
  account = await org.record('account', 'mias_account', 'mia');
  contact = await org.record('contact', 'carols_contact', 'carol', { account_id: account });
  await org.createTeam('deals', 'root');
  await org.createTeam('columns', 'root');
  // mia shares her account with the team; the share cascades to carol's contact under it
  await org.as('mia', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', account, org.id('deals'), ['read', 'write']]);
  await org.as('paula', 'select rowscope.share_field($1, $2, $3, $4, true, false)', ['account', account, 'revenue', org.id('columns')]);
  await org.as('mia', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', account, 'account_readers', org.id('carol')]);
  [{ id: recordTeam }] = await org.admin("select id from rowscope.team where record_id = $1 and template = 'account_readers'", [account]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe("add_team_member needs what granting the team's shares directly needs", () => {
  it('the share cascaded to the contact (the setup)', async () => {
    const rows = await org.admin('select rights from rowscope.record_share where record_id = $1 and principal_id = $2', [contact, org.id('deals')]);
    expect(rows.map((r) => r.rights)).toEqual([['read', 'write']]);
  });

  it('refuses a caller who cannot read a shared record, naming it and read but not its owner', async () => {
    const err = await org.refused('henry', 'select rowscope.add_team_member($1, $2)', [org.id('deals'), org.id('dave')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain(`lacks read on account ${account}`);
    expect(err.message).toContain('through a share');
    expect(err.message).not.toContain(org.role('mia'));
    expect(await members(org.id('deals'))).toBe(0);
    expect(await org.visible('dave', 'account')).toEqual([]);
  });

  it('refuses the owner of the account for the cascaded share of a contact she cannot read', async () => {
    const err = await org.refused('mia', 'select rowscope.add_team_member($1, $2)', [org.id('deals'), org.id('dave')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain(`lacks read on contact ${contact}`);
    expect(await members(org.id('deals'))).toBe(0);
  });

  it('allows a caller holding read, share and every right of each share', async () => {
    await org.as('steward', 'select rowscope.add_team_member($1, $2)', [org.id('deals'), org.id('dave')]);
    expect(await members(org.id('deals'))).toBe(1);
    expect(await org.visible('dave', 'account')).toEqual(['mias_account']);
    await org.admin('select rowscope.remove_team_member($1, $2)', [org.id('deals'), org.id('dave')]);
  });

  it('a field share needs the caller\'s own read of the column', async () => {
    const err = await org.refused('steward', 'select rowscope.add_team_member($1, $2)', [org.id('columns'), org.id('dave')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain(`lacks read of column revenue on account ${account} (column revenue)`);
    expect(await members(org.id('columns'))).toBe(0);
    await org.as('paula', 'select rowscope.add_team_member($1, $2)', [org.id('columns'), org.id('dave')]);
    expect(await members(org.id('columns'))).toBe(1);
  });
});

describe("a record's access team is no principal of the share functions or add_profile_member", () => {
  const calls: [string, (team: string) => unknown[]][] = [
    ['select rowscope.grant_access($1, $2, $3, $4)', (team) => ['account', account, team, ['write']]],
    ['select rowscope.modify_access($1, $2, $3, $4)', (team) => ['account', account, team, ['read', 'delete']]],
    ['select rowscope.revoke_access($1, $2, $3)', (team) => ['account', account, team]],
    ['select rowscope.share_field($1, $2, $3, $4, true, false)', (team) => ['account', account, 'revenue', team]],
    ['select rowscope.add_profile_member($1, $2)', (team) => ['revenue_read', team]],
  ];
  for (const [text, args] of calls) {
    it(`${text.slice(16, text.indexOf('('))}: 22023 first, whoever calls`, async () => {
      const before = await shareCount();
      for (const persona of ['mia', 'bob']) { // the owner; one who cannot even read the account
        const err = await org.refused(persona, text, args(recordTeam));
        expect(err.code).toBe('22023');
        expect(err.message).toContain(`principal_id: team ${recordTeam} is the access team of a record; use rowscope.`);
      }
      await expect(org.admin(text, args(recordTeam))).rejects.toMatchObject({ code: '22023' });
      expect(await shareCount()).toBe(before);
      const [held] = await org.admin('select (select count(*) from rowscope.field_share where principal_id = $1) + (select count(*) from rowscope.field_profile_member where principal_id = $1) as n', [recordTeam]);
      expect(Number(held.n)).toBe(0);
    });
  }
});

describe('add_access_team_member checks everything the team holds', () => {
  // a database from before the refusal above may hold more; inserted here as its data would be
  beforeAll(async () => {
    await org.admin("update rowscope.record_share set rights = '{read,delete}' where principal_id = $1", [recordTeam]);
  });
  afterAll(async () => {
    await org.admin("update rowscope.record_share set rights = '{read}' where principal_id = $1", [recordTeam]);
  });

  it('refuses a caller who holds the template but not the extra right', async () => {
    await org.admin('select rowscope.assign_role($1, $2)', [org.id('bob'), 'sharer_deep']); // read and share on accounts, no delete
    const err = await org.refused('bob', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', account, 'account_readers', org.id('dave')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain(`lacks delete on account ${account}`);
    expect(await members(recordTeam)).toBe(1);
  });

  it('allows the owner, who holds it', async () => {
    await org.as('mia', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', account, 'account_readers', org.id('dave')]);
    expect(await members(recordTeam)).toBe(2);
  });
});

describe("create_user and move_user need the default team's shares", () => {
  let east: string;
  beforeAll(async () => {
    [{ id: east }] = await org.admin('select id from rowscope.team where business_unit_id = $1 and is_default', [org.bu('east')]);
    await org.as('mia', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', account, east, ['read']]);
  });
  const userCount = async () => (await org.admin<{ n: number }>('select count(*)::int as n from rowscope.system_user'))[0]!.n;

  it('create_user into the BU is refused to a caller who could not share the account', async () => {
    const before = await userCount();
    const err = await org.refused('henry', 'select rowscope.create_user($1, $2)', [org.role('newbie'), org.bu('east')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain(`lacks read on account ${account}`);
    expect(await userCount()).toBe(before);
  });

  it('move_user into the BU too; the caller holding the rights may', async () => {
    const err = await org.refused('henry', 'select rowscope.move_user($1, $2)', [org.id('carol'), org.bu('east')]);
    expect(err.code).toBe('42501');
    expect((await org.admin('select business_unit_id from rowscope.system_user where id = $1', [org.id('carol')]))[0].business_unit_id).toBe(org.bu('root'));
    await org.as('steward', 'select rowscope.move_user($1, $2)', [org.id('carol'), org.bu('east')]);
    expect((await org.admin('select business_unit_id from rowscope.system_user where id = $1', [org.id('carol')]))[0].business_unit_id).toBe(org.bu('east'));
  });
});
