// SPEC §2 "Audit": security changes are audited, naming the affected principal
// or record: users (create, disable, enable, move, access mode), role
// assignments, team membership, business units, teams and record shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { history, logSize, verify, type AuditRow } from './audit.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createUser('sam', 'root', ['seller']);
  await org.createUser('sue', 'root', ['seller']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const last = async (id: string): Promise<AuditRow> => (await history(org, id)).at(-1)!;

describe('users', () => {
  it('create_user names the new user and what it was created with', async () => {
    const id = await org.createUser('new_user', 'east');
    const rows = await history(org, id);
    expect(rows[0]).toMatchObject({ table_name: 'system_user', action: 'create_user', user_id: null });
    expect(rows[0]!.changes).toMatchObject({
      db_role: { old: null, new: org.role('new_user') },
      business_unit_id: { old: null, new: org.bu('east') },
      access_mode: { old: null, new: 'read_write' },
    });
  });

  it('disable, enable, move and access mode changes are named', async () => {
    const id = await org.createUser('changing', 'root');
    await org.admin('select rowscope.disable_user($1)', [id]);
    expect(await last(id)).toMatchObject({ action: 'disable_user', changes: { is_disabled: { old: false, new: true } } });
    await org.admin('select rowscope.enable_user($1)', [id]);
    expect(await last(id)).toMatchObject({ action: 'enable_user', changes: { is_disabled: { old: true, new: false } } });
    const before = (await history(org, id)).length;
    await org.admin('select rowscope.move_user($1, $2)', [id, org.bu('east')]);
    // the move, then the default teams' membership following it (SPEC §2 default business-unit teams)
    expect((await history(org, id)).slice(before).map((r) => r.action)).toEqual(['move_user', 'remove_team_member', 'add_team_member']);
    expect((await history(org, id)).slice(before)[0]).toMatchObject({
      action: 'move_user', changes: { business_unit_id: { old: org.bu('root'), new: org.bu('east') } },
    });
    await org.admin(`select rowscope.set_access_mode($1, 'read')`, [id]);
    expect(await last(id)).toMatchObject({ action: 'set_access_mode', changes: { access_mode: { old: 'read_write', new: 'read' } } });
  });

  it('a refused admin call logs nothing', async () => {
    const before = await logSize(org);
    const refusal = await org.refused('sam', 'select rowscope.disable_user($1)', [org.id('sue')]);
    expect(refusal.code).toBe('42501');
    expect(await logSize(org)).toBe(before);
  });
});

describe('role assignments and teams', () => {
  it('assign_role and remove_role name the principal and the role', async () => {
    const id = await org.createUser('roles', 'root');
    await org.admin(`select rowscope.assign_role($1, 'auditor')`, [id]);
    const assigned = await last(id);
    expect(assigned).toMatchObject({ table_name: 'role_assignment', action: 'assign_role', record_id: id });
    expect(assigned.changes.role).toEqual({ old: null, new: 'auditor' });
    await org.admin(`select rowscope.remove_role($1, 'auditor')`, [id]);
    expect(await last(id)).toMatchObject({ table_name: 'role_assignment', action: 'remove_role', changes: { role: { old: 'auditor', new: null } } });
  });

  it('team creation and membership name the team and the user', async () => {
    const team = await org.createTeam('sellers', 'root');
    expect(await last(team)).toMatchObject({ table_name: 'team', action: 'create_team' });
    await org.admin('select rowscope.add_team_member($1, $2)', [team, org.id('sam')]);
    expect(await last(org.id('sam'))).toMatchObject({
      table_name: 'team_member', action: 'add_team_member', changes: { team_id: { old: null, new: team } },
    });
    await org.admin('select rowscope.remove_team_member($1, $2)', [team, org.id('sam')]);
    expect(await last(org.id('sam'))).toMatchObject({
      table_name: 'team_member', action: 'remove_team_member', changes: { team_id: { old: team, new: null } },
    });
  });

  it('business units are logged', async () => {
    const bu = await org.createBu('west', 'root');
    expect(await history(org, bu)).toMatchObject([
      { table_name: 'business_unit', action: 'create_business_unit', changes: { parent_id: { old: null, new: org.bu('root') } } },
    ]);
  });
});

describe('shares', () => {
  it('grant, modify and revoke are logged in the record history, by the user who shared', async () => {
    const [a] = await org.as('sam', `insert into api.account (name) values ('shared') returning id`);
    await org.as('sam', `select rowscope.grant_access('account', $1, $2, array['read'])`, [a.id, org.id('sue')]);
    await org.as('sam', `select rowscope.modify_access('account', $1, $2, array['read', 'write'])`, [a.id, org.id('sue')]);
    await org.as('sam', `select rowscope.revoke_access('account', $1, $2)`, [a.id, org.id('sue')]);
    const rows = (await history(org, a.id)).filter((r) => r.action !== 'insert');
    expect(rows.map((r) => [r.table_name, r.action, r.user_id])).toEqual([
      ['account', 'share', org.id('sam')],
      ['account', 'modify_share', org.id('sam')],
      ['account', 'unshare', org.id('sam')],
    ]);
    expect(rows[0]!.changes).toMatchObject({ principal_id: { old: null, new: org.id('sue') }, rights: { old: null, new: ['read'] } });
    expect(rows[1]!.changes).toEqual({ rights: { old: ['read'], new: ['read', 'write'] } });
    expect(rows[2]!.changes).toMatchObject({ principal_id: { old: org.id('sue'), new: null } });
  });

  it('leaves a chain that verifies', async () => {
    expect(await verify(org)).toEqual([]);
  });
});
