// docs/security-model.md rule 5 (System Administrator): the built-in role
// system_administrator has every privilege at organization depth on every
// table, every secured field and every admin function, while enabled; it
// cannot be edited or deleted, and only a System Administrator may hand it out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let far: string;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('sa', 'emea', ['system_administrator']);
  await org.createUser('sa2', 'emea', ['system_administrator']);
  await org.createUser('owner_sales', 'sales', ['owner_rw']);
  await org.createUser('owner_service', 'service', ['owner_rw']);
  await org.createUser('nobody', 'sales');
  await org.createUser('admin', 'sales', ['user_admin_bu', 'owner_rw']);
  far = await org.record('account', 'a_service', 'owner_service', { credit_limit: 1000 });
  await org.record('account', 'a_sales', 'owner_sales', { credit_limit: 2000 });
  await org.admin(`insert into app.product (name, price) values ('widget', 5)`);
});
afterAll(() => close(f));

describe('system_administrator', () => {
  it('exists as a built-in role after the migration', async () => {
    expect(await f.org.admin(`select is_builtin from rowscope.security_role where name = 'system_administrator'`)).toEqual([{ is_builtin: true }]);
  });
  it('reads every record of every table, from any BU', async () => {
    expect(await f.org.visible('sa', 'account')).toEqual(['a_sales', 'a_service']);
    expect(await f.org.visible('sa', 'product')).toEqual(['widget']);
  });
  it('reads secured columns that others see as null', async () => {
    expect(await f.org.as('sa', 'select credit_limit from api.account where id = $1', [far])).toEqual([{ credit_limit: '1000' }]);
    expect(await f.org.as('owner_service', 'select credit_limit from api.account where id = $1', [far])).toEqual([{ credit_limit: null }]);
  });
  it('creates records owned by anyone, anywhere', async () => {
    const { org } = f;
    const [row] = await org.as('sa', `insert into api.account (name, owner_id) values ('sa_for_service', $1) returning id`, [org.id('owner_service')]);
    const [stored] = await org.admin('select owner_id, owning_business_unit, created_by from app.account where id = $1', [row.id]);
    expect(stored).toEqual({ owner_id: org.id('owner_service'), owning_business_unit: org.bu('service'), created_by: org.id('sa') });
  });
  it('updates, assigns and deletes any record', async () => {
    const { org } = f;
    const [row] = await org.as('sa', `insert into api.account (name, owner_id) values ('sa_tmp', $1) returning id`, [org.id('owner_sales')]);
    await org.as('sa', 'update api.account set revenue = 7 where id = $1', [row.id]);
    await org.as('sa', 'update api.account set owner_id = $2 where id = $1', [row.id, org.id('owner_service')]);
    expect(await org.admin('select revenue, owner_id, owning_business_unit from app.account where id = $1', [row.id]))
      .toEqual([{ revenue: '7', owner_id: org.id('owner_service'), owning_business_unit: org.bu('service') }]);
    expect(await org.as('sa', 'delete from api.account where id = $1 returning id', [row.id])).toHaveLength(1);
  });
  it('manages organization-owned tables', async () => {
    const { org } = f;
    await org.as('sa', `insert into api.product (name) values ('gadget')`);
    await org.as('sa', `update api.product set price = 9 where name = 'gadget'`);
    expect(await org.as('sa', `delete from api.product where name = 'gadget' returning price`)).toEqual([{ price: '9' }]);
  });
  it('calls every admin function anywhere in the tree', async () => {
    const { org } = f;
    const [bu] = await org.as('sa', 'select rowscope.create_business_unit($1, $2) as id', [`${org.tag} sa-made`, org.bu('service')]);
    const [u] = await org.as('sa', 'select rowscope.create_user($1, $2) as id', [org.role('sa_made'), bu.id]);
    const [t] = await org.as('sa', 'select rowscope.create_team($1, $2) as id', [`${org.tag} sa team`, org.bu('service')]);
    await org.as('sa', 'select rowscope.add_team_member($1, $2)', [t.id, u.id]);
    await org.as('sa', `select rowscope.assign_role($1, 'reader_org')`, [u.id]);
    await org.as('sa', 'select rowscope.move_user($1, $2)', [u.id, org.bu('sales')]);
    await org.as('sa', `select rowscope.set_access_mode($1, 'read')`, [u.id]);
    await org.as('sa', 'select rowscope.disable_user($1)', [u.id]);
    await org.as('sa', 'select rowscope.enable_user($1)', [u.id]);
    expect(await org.admin('select business_unit_id, access_mode, is_disabled from rowscope.system_user where id = $1', [u.id]))
      .toEqual([{ business_unit_id: org.bu('sales'), access_mode: 'read', is_disabled: false }]);
  });
  it('may hand out system_administrator and any role', async () => {
    const { org } = f;
    await org.as('sa', `select rowscope.assign_role($1, 'system_administrator')`, [org.id('nobody')]);
    expect(await org.visible('nobody', 'account')).toContain('a_service');
    await org.as('sa', `select rowscope.remove_role($1, 'system_administrator')`, [org.id('nobody')]);
    expect(await org.visible('nobody', 'account')).toEqual([]);
  });
  it('holds every misc privilege', async () => {
    expect(await f.org.as('sa', `select rowscope.has_privilege('export_to_excel') as a, rowscope.has_privilege('view_audit_history') as b`))
      .toEqual([{ a: true, b: true }]);
  });
  it('gives nothing while its holder is disabled', async () => {
    const { org } = f;
    await org.admin('select rowscope.disable_user($1)', [org.id('sa2')]);
    try {
      expect(await org.visible('sa2', 'account')).toEqual([]);
      const r = await org.refused('sa2', `insert into api.account (name, owner_id) values ('x', $1)`, [org.id('owner_sales')]);
      expectRefusal(r, org, 'sa2', 'create', 'account');
      expect((await org.refused('sa2', 'select rowscope.create_user($1, $2)', [org.role('sa2_made'), org.bu('sales')])).code).toBe('42501');
    } finally {
      await org.admin('select rowscope.enable_user($1)', [org.id('sa2')]);
    }
    expect(await org.visible('sa2', 'account')).toContain('a_sales');
  });
});

describe('only a System Administrator hands out system_administrator', () => {
  it('a user admin of the principal\'s BU is refused, and nothing changes', async () => {
    const { org } = f;
    const r = await org.refused('admin', `select rowscope.assign_role($1, 'system_administrator')`, [org.id('nobody')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(org.role('admin'));
    expect(r.message).toContain('system_administrator');
    expect(await org.visible('nobody', 'account')).toEqual([]);
  });
  it('nobody may assign it to themselves', async () => {
    const { org } = f;
    const r = await org.refused('admin', `select rowscope.assign_role($1, 'system_administrator')`, [org.id('admin')]);
    expect(r.code).toBe('42501');
  });
});

describe('it cannot be edited or deleted', () => {
  it('not even a System Administrator may change the role catalog directly', async () => {
    const { org } = f;
    expect((await org.refused('sa', `delete from rowscope.security_role where name = 'system_administrator'`)).code).toBe('42501');
    expect((await org.refused('sa', `update rowscope.security_role set name = 'x' where name = 'system_administrator'`)).code).toBe('42501');
    expect((await org.refused('sa', `insert into rowscope.role_privilege (role_id, table_name, privilege, depth)
      select id, 'account', 'read', 1 from rowscope.security_role where name = 'system_administrator'`)).code).toBe('42501');
    expect(await org.admin(`select count(*)::int as n from rowscope.security_role where name = 'system_administrator'`)).toEqual([{ n: 1 }]);
  });
});
