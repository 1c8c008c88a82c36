// docs/security-model.md "Security data is guarded too" and docs/reference.md "The SQL API": the admin functions check the
// caller's privileges on business_unit / system_user / team / security_role with
// their scope (create system_user at business_unit depth adds users to the
// admin's own BU only); nobody but a System Administrator may assign a role
// holding a privilege deeper than they hold it themselves. A refused call
// changes nothing. move_user: the user's roles follow them to the new BU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
const team: Record<string, string> = {};

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('ua', 'sales', ['user_admin_bu']);
  await org.createUser('ud', 'sales', ['user_admin_deep']);
  await org.createUser('plain', 'sales', ['owner_rw']);
  await org.createUser('sales_user', 'sales');
  await org.createUser('service_user', 'service');
  await org.createUser('mover', 'sales', ['reader_bu']);
  await org.createUser('emea_owner', 'emea', ['owner_rw']);
  await org.createUser('sales_owner', 'sales', ['owner_rw']);
  team.sales = await org.createTeam('sales team', 'sales');
  team.service = await org.createTeam('service team', 'service');
  await org.record('account', 'a_emea', 'emea_owner');
  await org.record('account', 'a_sales', 'sales_owner');
});
afterAll(() => close(f));

const userExists = async (role: string) =>
  (await f.org.admin('select from rowscope.system_user where db_role = $1', [role])).length === 1;
const roleExists = async (role: string) => (await f.org.admin('select from pg_roles where rolname = $1', [role])).length === 1;
const holds = async (persona: string, role: string) =>
  (await f.org.admin(`select from rowscope.role_assignment a join rowscope.security_role r on r.id = a.role_id
    where a.principal_id = $1 and r.name = $2`, [f.org.id(persona), role])).length === 1;

describe('system_user at business_unit depth', () => {
  it('creates users (and their LOGIN role) in the admin\'s own BU', async () => {
    const { org } = f;
    const [row] = await org.as('ua', 'select rowscope.create_user($1, $2) as id', [org.role('made_in_sales'), org.bu('sales')]);
    expect(await org.admin('select business_unit_id from rowscope.system_user where id = $1', [row.id])).toEqual([{ business_unit_id: org.bu('sales') }]);
    expect(await org.admin('select rolcanlogin from pg_roles where rolname = $1', [org.role('made_in_sales')])).toEqual([{ rolcanlogin: true }]);
  });
  it('is refused for another BU, and for a child BU; nothing is created', async () => {
    const { org } = f;
    for (const bu of ['service', 'emea']) {
      const role = org.role(`made_in_${bu}`);
      const r = await org.refused('ua', 'select rowscope.create_user($1, $2)', [role, org.bu(bu)]);
      expectRefusal(r, org, 'ua', 'create', 'system_user');
      expect(await userExists(role)).toBe(false);
      expect(await roleExists(role)).toBe(false);
    }
  });
  it('changes users of its BU and is refused for users of other BUs', async () => {
    const { org } = f;
    await org.as('ua', `select rowscope.set_access_mode($1, 'read')`, [org.id('sales_user')]);
    const r = await org.refused('ua', `select rowscope.set_access_mode($1, 'read')`, [org.id('service_user')]);
    expectRefusal(r, org, 'ua', 'write', 'system_user');
    // ua may not read service_user either: the refusal names the id, not the login
    expect(r.message).toContain(org.id('service_user'));
    expect(r.message).not.toContain(org.role('service_user'));
    expect(await org.admin('select access_mode from rowscope.system_user where id = $1', [org.id('service_user')])).toEqual([{ access_mode: 'read_write' }]);
  });
});

describe('a user without admin privileges', () => {
  it('may not create users, teams or business units, nor assign roles', async () => {
    const { org } = f;
    const u = await org.refused('plain', 'select rowscope.create_user($1, $2)', [org.role('by_plain'), org.bu('sales')]);
    expectRefusal(u, org, 'plain', 'create', 'system_user');
    expect(u.message).toContain('no role grants create on system_user');
    expectRefusal(await org.refused('plain', 'select rowscope.create_team($1, $2)', [`${org.tag} by plain`, org.bu('sales')]), org, 'plain', 'create', 'team');
    expectRefusal(await org.refused('plain', 'select rowscope.create_business_unit($1, $2)', [`${org.tag} by plain`, org.bu('sales')]), org, 'plain', 'create', 'business_unit');
    expectRefusal(await org.refused('plain', `select rowscope.assign_role($1, 'reader_user')`, [org.id('sales_user')]), org, 'plain', 'write', 'system_user');
    expect(await userExists(org.role('by_plain'))).toBe(false);
    expect(await org.admin('select from rowscope.team where name = $1', [`${org.tag} by plain`])).toHaveLength(0);
    expect(await org.admin('select from rowscope.business_unit where name = $1', [`${org.tag} by plain`])).toHaveLength(0);
  });
  it('may not even make itself an admin', async () => {
    const { org } = f;
    expect((await org.refused('plain', `select rowscope.assign_role($1, 'user_admin_bu')`, [org.id('plain')])).code).toBe('42501');
    expect(await holds('plain', 'user_admin_bu')).toBe(false);
  });
});

describe('teams at business_unit depth', () => {
  it('creates teams and manages members in its own BU only', async () => {
    const { org } = f;
    const [t] = await org.as('ua', 'select rowscope.create_team($1, $2) as id', [`${org.tag} ua team`, org.bu('sales')]);
    await org.as('ua', 'select rowscope.add_team_member($1, $2)', [t.id, org.id('sales_user')]);
    await org.as('ua', 'select rowscope.add_team_member($1, $2)', [team.sales, org.id('sales_user')]);
    await org.as('ua', 'select rowscope.remove_team_member($1, $2)', [team.sales, org.id('sales_user')]);
    expectRefusal(await org.refused('ua', 'select rowscope.create_team($1, $2)', [`${org.tag} ua far team`, org.bu('service')]), org, 'ua', 'create', 'team');
    expectRefusal(await org.refused('ua', 'select rowscope.add_team_member($1, $2)', [team.service, org.id('sales_user')]), org, 'ua', 'write', 'team');
    expect(await org.admin('select from rowscope.team_member where team_id = $1', [team.service])).toHaveLength(0);
  });
});

describe('business units', () => {
  it('create at business_unit depth: under the admin\'s own BU only', async () => {
    const { org } = f;
    const [bu] = await org.as('ua', 'select rowscope.create_business_unit($1, $2) as id', [`${org.tag} sales-north`, org.bu('sales')]);
    expect(await org.admin('select parent_id from rowscope.business_unit where id = $1', [bu.id])).toEqual([{ parent_id: org.bu('sales') }]);
    const r = await org.refused('ua', 'select rowscope.create_business_unit($1, $2)', [`${org.tag} service-north`, org.bu('service')]);
    expectRefusal(r, org, 'ua', 'create', 'business_unit');
    expect(await org.admin('select from rowscope.business_unit where name = $1', [`${org.tag} service-north`])).toHaveLength(0);
  });
  it('root_business_unit() answers for every user', async () => {
    expect(await f.org.as('plain', 'select rowscope.root_business_unit() as id')).toEqual([{ id: f.org.bu('root') }]);
  });
});

describe('move_user', () => {
  it('at parent_child depth: within the admin\'s subtree, both ways', async () => {
    const { org } = f;
    await org.as('ud', 'select rowscope.move_user($1, $2)', [org.id('sales_user'), org.bu('emea')]);
    expect(await org.admin('select business_unit_id from rowscope.system_user where id = $1', [org.id('sales_user')])).toEqual([{ business_unit_id: org.bu('emea') }]);
    await org.as('ud', 'select rowscope.move_user($1, $2)', [org.id('sales_user'), org.bu('sales')]);
  });
  it('refused when the destination or the user is outside the admin\'s scope; nothing moves', async () => {
    const { org } = f;
    expectRefusal(await org.refused('ud', 'select rowscope.move_user($1, $2)', [org.id('sales_user'), org.bu('service')]), org, 'ud', 'write', 'system_user');
    expectRefusal(await org.refused('ud', 'select rowscope.move_user($1, $2)', [org.id('service_user'), org.bu('sales')]), org, 'ud', 'write', 'system_user');
    expectRefusal(await org.refused('ua', 'select rowscope.move_user($1, $2)', [org.id('sales_user'), org.bu('emea')]), org, 'ua', 'write', 'system_user');
    expect(await org.admin('select business_unit_id from rowscope.system_user where id = any($1::uuid[]) order by db_role',
      [[org.id('sales_user'), org.id('service_user')]])).toEqual([{ business_unit_id: org.bu('sales') }, { business_unit_id: org.bu('service') }]);
  });
  it('the user\'s own roles are removed (keepRolesOnBusinessUnitChange is off); a role given in the new BU applies there', async () => {
    const { org } = f;
    expect(await org.visible('mover', 'account')).toEqual(['a_sales']);
    await org.admin('select rowscope.move_user($1, $2)', [org.id('mover'), org.bu('emea')]);
    expect(await org.admin('select count(*)::int as n from rowscope.role_assignment where principal_id = $1', [org.id('mover')])).toEqual([{ n: 0 }]);
    expect(await org.visible('mover', 'account')).toEqual([]);
    await org.admin(`select rowscope.assign_role($1, 'reader_bu')`, [org.id('mover')]);
    expect(await org.visible('mover', 'account')).toEqual(['a_emea']);
  });
});

describe('assign_role: no privilege escalation', () => {
  it('a role whose privileges the admin holds at least as deep is allowed', async () => {
    const { org } = f;
    await org.as('ua', `select rowscope.assign_role($1, 'reader_user')`, [org.id('sales_user')]); // read user <= business_unit
    await org.as('ua', `select rowscope.assign_role($1, 'reader_bu')`, [org.id('sales_user')]); // equal depth
    expect(await holds('sales_user', 'reader_bu')).toBe(true);
    await org.as('ua', `select rowscope.remove_role($1, 'reader_user')`, [org.id('sales_user')]);
    expect(await holds('sales_user', 'reader_user')).toBe(false);
  });
  it('a role granting a deeper privilege is refused with 42501 naming it; nothing is assigned', async () => {
    const { org } = f;
    const r = await org.refused('ua', `select rowscope.assign_role($1, 'reader_org')`, [org.id('sales_user')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(org.role('ua'));
    expect(r.message).toContain('reader_org');
    expect(r.message).toContain('account');
    expect(r.message).toContain('organization');
    expect(await holds('sales_user', 'reader_org')).toBe(false);
  });
  it('a role granting a privilege the admin lacks entirely is refused', async () => {
    const { org } = f;
    expect((await org.refused('ua', `select rowscope.assign_role($1, 'owner_rw')`, [org.id('sales_user')])).code).toBe('42501');
    expect(await holds('sales_user', 'owner_rw')).toBe(false);
  });
  it('a role granting a misc privilege the admin lacks is refused', async () => {
    const { org } = f;
    const r = await org.refused('ua', `select rowscope.assign_role($1, 'exporter')`, [org.id('sales_user')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain('export_to_excel');
    expect(await holds('sales_user', 'exporter')).toBe(false);
  });
  it('a principal outside the admin\'s scope is refused even for a harmless role', async () => {
    const { org } = f;
    expectRefusal(await org.refused('ua', `select rowscope.assign_role($1, 'reader_user')`, [org.id('service_user')]), org, 'ua', 'write', 'system_user');
    expectRefusal(await org.refused('ua', `select rowscope.assign_role($1, 'reader_user')`, [team.service]), org, 'ua', 'write', 'team');
    expect(await holds('service_user', 'reader_user')).toBe(false);
  });
  it('owner teams of the admin\'s BU may be given roles', async () => {
    const { org } = f;
    await org.as('ua', `select rowscope.assign_role($1, 'reader_user')`, [team.sales]);
    expect(await org.admin(`select from rowscope.role_assignment a join rowscope.security_role r on r.id = a.role_id
      where a.principal_id = $1 and r.name = 'reader_user'`, [team.sales])).toHaveLength(1);
  });
});
