// Regression (issue 14, F1 and F3): team membership as a way round the
// no-escalation rule of assign_role (sql/072 add_team_member).
//
// F1: henry, an environment admin holding no business privilege, could add
// judy (no role) to an owner team holding data_steward; judy then read every
// account, although assign_role(judy, 'data_steward') by henry is refused.
// F3: henry could call add_team_member on a record's access team, skipping the
// share and member-depth checks of add_access_team_member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};

const members = async (team: string) =>
  (await org.admin<{ n: number }>('select count(*)::int as n from rowscope.team_member where team_id = $1', [org.id(team)]))[0].n;

beforeAll(async () => {
  db = await securedDatabase('escalation');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('henry', 'root', ['env_admin']);
  await org.createUser('keeper', 'root', ['team_keeper']);
  await org.createUser('judy', 'root');
  await org.createUser('dave', 'sales', ['account_reader']);
  await org.createUser('owner', 'sales', ['seller']);
  await org.createTeam('stewards', 'root');
  await org.admin(`select rowscope.assign_role($1, 'data_steward')`, [org.id('stewards')]);
  await org.createTeam('keepers', 'root');
  await org.admin(`select rowscope.assign_role($1, 'team_keeper')`, [org.id('keepers')]);
  await org.createTeam('env_admins', 'root');
  await org.admin(`select rowscope.assign_role($1, 'env_admin')`, [org.id('env_admins')]);
  await org.createTeam('plain', 'root');
  ids.acct = await org.record('account', 'secret_account', 'owner');
  // the record's access team exists once somebody was added the proper way
  await org.admin(`select rowscope.add_access_team_member('account', $1, 'account_team', $2)`, [ids.acct, org.id('owner')]);
  [{ id: ids.accessTeam }] = await org.admin('select id from rowscope.team where record_id = $1', [ids.acct]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('F1: adding a member to an owner team that holds roles', () => {
  it('assign_role of the role itself is refused (the baseline)', async () => {
    const err = await org.refused('henry', `select rowscope.assign_role($1, 'data_steward')`, [org.id('judy')]);
    expect(err.code).toBe('42501');
  });

  it('is refused like assign_role when the caller does not hold the team role\'s privileges', async () => {
    const err = await org.refused('henry', 'select rowscope.add_team_member($1, $2)', [org.id('stewards'), org.id('judy')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('data_steward');
    expect(await members('stewards')).toBe(0);
    expect(await org.visible('judy', 'account')).toEqual([]);
  });

  it('needs write on system_user covering the user, even for a role the caller holds', async () => {
    // keeper holds every privilege of team_keeper, but no privilege on system_user
    const err = await org.refused('keeper', 'select rowscope.add_team_member($1, $2)', [org.id('keepers'), org.id('judy')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('system_user');
    expect(await members('keepers')).toBe(0);
  });

  it('is allowed for a team without roles, and for roles the caller holds', async () => {
    await org.as('keeper', 'select rowscope.add_team_member($1, $2)', [org.id('plain'), org.id('judy')]);
    expect(await members('plain')).toBe(1);
    // henry holds every privilege of env_admin and write on system_user
    await org.as('henry', 'select rowscope.add_team_member($1, $2)', [org.id('env_admins'), org.id('judy')]);
    expect(await members('env_admins')).toBe(1);
    await org.as('henry', 'select rowscope.remove_team_member($1, $2)', [org.id('env_admins'), org.id('judy')]);
    expect(await members('env_admins')).toBe(0);
  });

  it('the deployment administrator is unrestricted', async () => {
    await org.admin('select rowscope.add_team_member($1, $2)', [org.id('stewards'), org.id('judy')]);
    expect(await org.visible('judy', 'account')).toEqual(['secret_account']);
    await org.admin('select rowscope.remove_team_member($1, $2)', [org.id('stewards'), org.id('judy')]);
    expect(await org.visible('judy', 'account')).toEqual([]);
  });
});

describe('F3: a record\'s access team through add_team_member / remove_team_member', () => {
  for (const caller of ['henry', 'judy']) {
    it(`add_team_member is 22023 pointing to add_access_team_member (${caller})`, async () => {
      const err = await org.refused(caller, 'select rowscope.add_team_member($1, $2)', [ids.accessTeam, org.id('dave')]);
      expect(err.code).toBe('22023');
      expect(err.message).toContain('add_access_team_member');
      const [m] = await org.admin('select count(*)::int as n from rowscope.team_member where team_id = $1', [ids.accessTeam]);
      expect(m.n).toBe(1);
      expect(await org.visible('dave', 'account')).toEqual([]);
    });

    it(`remove_team_member is 22023 pointing to remove_access_team_member (${caller})`, async () => {
      const err = await org.refused(caller, 'select rowscope.remove_team_member($1, $2)', [ids.accessTeam, org.id('owner')]);
      expect(err.code).toBe('22023');
      expect(err.message).toContain('access_team_member');
      const [m] = await org.admin('select count(*)::int as n from rowscope.team_member where team_id = $1', [ids.accessTeam]);
      expect(m.n).toBe(1);
    });
  }

  it('even the deployment administrator goes through add_access_team_member', async () => {
    const err = await org.admin('select rowscope.add_team_member($1, $2)', [ids.accessTeam, org.id('dave')]).then(
      () => undefined,
      (e) => e as { code: string },
    );
    expect(err?.code).toBe('22023');
  });
});
