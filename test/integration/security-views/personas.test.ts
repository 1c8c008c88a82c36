// The security data views (sql/5xx_security_views*.sql) read as each persona of
// ./setup.ts: what read on the built-in tables gives at each depth, what
// everyone sees of themselves, and nothing for a disabled user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeViews, column, viewsOrg, type ViewsOrg } from './setup.ts';

let v: ViewsOrg;
beforeAll(async () => {
  v = await viewsOrg();
});
afterAll(() => closeViews(v));

const ALL_VIEWS = ['business_unit', 'system_user', 'position', 'team', 'team_member', 'security_role', 'role_privilege',
  'role_misc_privilege', 'role_assignment', 'record_share', 'field_share', 'field_security_profile', 'field_permission',
  'field_profile_member'];

const ids = (...personas: string[]) => personas.map((p) => v.org.id(p)).sort();
const buIds = (...bus: string[]) => bus.map((b) => v.org.bu(b)).sort();
const everyUser = async () => (await v.org.admin('select id::text from rowscope.system_user')).map((r) => r.id).sort();
const everyBu = async () => (await v.org.admin('select id::text from rowscope.business_unit')).map((r) => r.id).sort();
// Every BU's default owner team (sql/074): made with the BU, its members are the BU's users.
const defaultTeams = async (...bus: string[]) => (await v.org.admin(
  'select id::text from rowscope.team where is_default and business_unit_id = any ($1::uuid[])', [bus.map((b) => v.org.bu(b))])).map((r) => r.id);
const withDefaults = async (teams: string[], ...bus: string[]) => [...teams, ...await defaultTeams(...bus)].sort();

describe('System Administrator', () => {
  for (const persona of ['sys', 'sys_read']) {
    it(`${persona} sees every business unit, user, team, role and profile${persona === 'sys_read' ? ' in read mode too' : ''}`, async () => {
      expect(await column(v, persona, 'system_user', 'id')).toEqual(await everyUser());
      expect(await column(v, persona, 'business_unit', 'id')).toEqual(await everyBu());
      expect(await column(v, persona, 'team', 'id')).toEqual(await withDefaults(ids('east_team', 'hr_team'), 'root', 'sales', 'east', 'hr'));
      // Each user is in their BU's default team once, other and plain in a created team too.
      expect(await column(v, persona, 'team_member', 'user_id')).toEqual([...ids('other', 'plain'), ...await everyUser()].sort());
      const roles = await column(v, persona, 'security_role', 'name');
      expect(roles).toEqual(expect.arrayContaining(['system_administrator', 'environment_admin', 'employee', 'team_reader']));
      expect(await column(v, persona, 'field_security_profile', 'name')).toEqual(['credit_view']);
      expect(await column(v, persona, 'field_profile_member', 'principal_id')).toEqual(ids('other'));
      const [{ n }] = await v.org.admin('select count(*)::int as n from rowscope.role_assignment');
      expect((await column(v, persona, 'role_assignment', 'principal_id')).length).toBe(n);
    });
  }
});

describe('environment admin (organization depth, administrative mode)', () => {
  it('sees every user, business unit, team and role', async () => {
    expect(await column(v, 'env', 'system_user', 'id')).toEqual(await everyUser());
    expect(await column(v, 'env', 'business_unit', 'id')).toEqual(await everyBu());
    expect(await column(v, 'env', 'team', 'id')).toEqual(await withDefaults(ids('east_team', 'hr_team'), 'root', 'sales', 'east', 'hr'));
    expect(await column(v, 'env', 'role_misc_privilege', 'role_name')).toEqual(['employee']);
    expect(await column(v, 'env', 'field_permission', 'column_name')).toEqual(['credit_limit']);
  });
  it('sees no business table rows (administrative mode)', async () => {
    await v.org.record('account', 'env_cannot_see', 'plain');
    expect(await v.org.visible('env', 'account')).toEqual([]);
  });
});

describe('business_unit depth admin (in sales)', () => {
  it('sees the users of its own BU only, not of the child BU', async () => {
    expect(await column(v, 'bu_admin', 'system_user', 'id')).toEqual(ids('bu_admin', 'deep_admin'));
    expect(await column(v, 'bu_admin', 'business_unit', 'id')).toEqual(buIds('sales'));
  });
  it('sees the role assignments of the users it sees, with their effective BU', async () => {
    const rows = await v.org.as('bu_admin', 'select principal_id, role_name, business_unit_id, inheritance from api.role_assignment order by role_name');
    expect(rows).toEqual([
      { principal_id: v.org.id('bu_admin'), role_name: 'bu_admin', business_unit_id: v.org.bu('sales'), inheritance: 'team_only' },
      { principal_id: v.org.id('deep_admin'), role_name: 'deep_admin', business_unit_id: v.org.bu('sales'), inheritance: 'team_only' },
    ]);
  });
  it('security_role at user depth shows every role (roles are organization-wide)', async () => {
    expect(await column(v, 'bu_admin', 'security_role', 'name')).toEqual(await column(v, 'sys', 'security_role', 'name'));
  });
  it('has no read on field_security_profile: sees no profile', async () => {
    for (const view of ['field_security_profile', 'field_permission', 'field_profile_member']) {
      expect(await column(v, 'bu_admin', view, '1')).toEqual([]);
    }
  });
});

describe('parent_child depth admin (in sales)', () => {
  it('sees its BU and its descendants, their users and teams', async () => {
    expect(await column(v, 'deep_admin', 'business_unit', 'id')).toEqual(buIds('sales', 'east'));
    expect(await column(v, 'deep_admin', 'system_user', 'id')).toEqual(ids('bu_admin', 'deep_admin', 'plain', 'disabled'));
    expect(await column(v, 'deep_admin', 'team', 'id')).toEqual(await withDefaults(ids('east_team'), 'sales', 'east'));
    // plain in east_team; the users of sales and east in their default teams.
    expect(await column(v, 'deep_admin', 'team_member', 'user_id')).toEqual(ids('plain', 'bu_admin', 'deep_admin', 'plain', 'disabled'));
  });
  it('sees only the roles it holds without read on security_role', async () => {
    expect(await column(v, 'deep_admin', 'security_role', 'name')).toEqual(['deep_admin']);
    expect(await v.org.as('deep_admin', 'select table_name, privilege, depth from api.role_privilege order by table_name')).toEqual([
      { table_name: 'business_unit', privilege: 'read', depth: 'parent_child' },
      { table_name: 'system_user', privilege: 'read', depth: 'parent_child' },
      { table_name: 'team', privilege: 'read', depth: 'parent_child' },
    ]);
  });
});

describe('plain user (no read on the built-in tables)', () => {
  it('sees their own user row, teams, memberships and role assignments', async () => {
    expect(await column(v, 'plain', 'system_user', 'id')).toEqual(ids('plain'));
    const [eastDefault] = await defaultTeams('east');
    expect(await column(v, 'plain', 'team', 'id')).toEqual([...ids('east_team'), eastDefault].sort());
    expect(await v.org.as('plain', 'select id from api.team where is_default')).toEqual([{ id: eastDefault }]);
    // Every member of a team they see: plain in east_team; plain and disabled in east's default team.
    expect(await column(v, 'plain', 'team_member', 'team_id')).toEqual([...ids('east_team'), eastDefault, eastDefault].sort());
    expect(await v.org.as('plain', 'select principal_id, role_name, business_unit_id from api.role_assignment')).toEqual([
      { principal_id: v.org.id('plain'), role_name: 'employee', business_unit_id: v.org.bu('east') },
    ]);
    expect(await column(v, 'plain', 'business_unit', 'id')).toEqual([]);
    expect(await column(v, 'plain', 'position', 'id')).toEqual([]);
  });
  it('sees the definition of the roles they hold, flattened over extends, depth as text', async () => {
    expect(await column(v, 'plain', 'security_role', 'name')).toEqual(['employee']);
    expect(await v.org.as('plain', 'select role_name, table_name, privilege, depth from api.role_privilege order by privilege')).toEqual([
      { role_name: 'employee', table_name: 'account', privilege: 'create', depth: 'user' },
      { role_name: 'employee', table_name: 'account', privilege: 'read', depth: 'user' },
      { role_name: 'employee', table_name: 'account', privilege: 'share', depth: 'user' },
      { role_name: 'employee', table_name: 'account', privilege: 'write', depth: 'user' },
    ]);
    expect(await v.org.as('plain', 'select role_name, name from api.role_misc_privilege')).toEqual([{ role_name: 'employee', name: 'export_to_excel' }]);
  });
  it('sees the roles held through an owner team, and that team\'s assignment', async () => {
    expect(await column(v, 'other', 'security_role', 'name')).toEqual(['employee', 'team_reader']);
    expect(await column(v, 'other', 'role_assignment', 'role_name')).toEqual(['employee', 'team_reader']);
  });
});

describe('disabled user', () => {
  it('sees nothing at all, not even their own row', async () => {
    for (const view of ALL_VIEWS) {
      expect(await column(v, 'disabled', view, '1'), view).toEqual([]);
    }
  });
  it('a role that is no rowscope user sees nothing either', async () => {
    await v.org.admin(`create role ${v.org.role('stranger')} nologin`);
    await v.org.admin(`grant rowscope_user to ${v.org.role('stranger')}`);
    for (const view of ALL_VIEWS) {
      expect(await column(v, 'stranger', view, '1'), view).toEqual([]);
    }
  });
});

describe('a change of privileges shows at once', () => {
  it('assigning environment_admin to a plain user widens what they see; removing it narrows it again', async () => {
    const other = v.org.id('other');
    await v.org.admin(`select rowscope.assign_role($1, 'environment_admin')`, [other]);
    expect(await column(v, 'other', 'system_user', 'id')).toEqual(await everyUser());
    await v.org.admin(`select rowscope.remove_role($1, 'environment_admin')`, [other]);
    expect(await column(v, 'other', 'system_user', 'id')).toEqual(ids('other'));
  });
});
