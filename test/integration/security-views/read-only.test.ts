// The security data views are read-only (changes go through the admin
// functions), have exactly the documented columns, and keep a reader's own
// leaky predicates from seeing rows they filter out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeViews, viewsOrg, type ViewsOrg } from './setup.ts';

let v: ViewsOrg;
beforeAll(async () => {
  v = await viewsOrg();
});
afterAll(() => closeViews(v));

const COLUMNS: Record<string, string[]> = {
  business_unit: ['id', 'name', 'parent_id', 'created_on'],
  system_user: ['id', 'db_role', 'business_unit_id', 'manager_id', 'position_id', 'access_mode', 'is_disabled', 'created_on'],
  team: ['id', 'name', 'business_unit_id', 'team_type', 'is_default', 'record_table', 'record_id', 'template'],
  team_member: ['team_id', 'user_id'],
  position: ['id', 'name', 'parent_id'],
  security_role: ['id', 'name', 'is_builtin'],
  role_privilege: ['role_name', 'table_name', 'privilege', 'depth'],
  role_misc_privilege: ['role_name', 'name'],
  role_assignment: ['principal_id', 'role_name', 'business_unit_id', 'inheritance'],
  record_share: ['table_name', 'record_id', 'principal_id', 'rights', 'inherited_from_table', 'inherited_from_record', 'shared_by', 'shared_on'],
  field_security_profile: ['name'],
  field_permission: ['profile', 'table_name', 'column_name', 'can_read', 'can_update', 'can_create'],
  field_profile_member: ['profile', 'principal_id'],
  field_share: ['table_name', 'record_id', 'column_name', 'principal_id', 'can_read', 'can_update'],
};

describe('shape', () => {
  it('each view has exactly its documented columns, in order', async () => {
    const rows = await v.org.admin(`select table_name, array_agg(column_name::text order by ordinal_position) as cols
      from information_schema.columns where table_schema = 'api' and table_name = any ($1) group by table_name`, [Object.keys(COLUMNS)]);
    expect(Object.fromEntries(rows.map((r) => [r.table_name, r.cols]))).toEqual(COLUMNS);
  });
});

describe('read-only', () => {
  it('insert, update and delete through the views are refused with 42501, for every user and the deployment administrator', async () => {
    const statements = [
      [`insert into api.system_user (id, db_role, business_unit_id) values (gen_random_uuid(), 'x', $1)`, [v.org.bu('root')]],
      [`update api.system_user set access_mode = 'read' where id = $1`, [v.org.id('plain')]],
      [`delete from api.role_assignment`, []],
      [`insert into api.record_share (table_name, record_id, principal_id, rights) values ('account', gen_random_uuid(), $1, '{read}')`, [v.org.id('plain')]],
      [`update api.business_unit set name = 'renamed'`, []],
    ] as const;
    for (const persona of ['sys', 'env', 'plain']) {
      for (const [text, values] of statements) {
        const r = await v.org.refused(persona, text, [...values]);
        expect(r.code, text).toBe('42501');
      }
    }
    const admin = await v.org.admin(`update api.system_user set access_mode = 'read'`).catch((e) => e);
    expect(admin).toMatchObject({ code: '42501', message: expect.stringContaining('read-only') });
    expect(await v.org.admin(`select access_mode from rowscope.system_user where id = $1`, [v.org.id('plain')])).toEqual([{ access_mode: 'read_write' }]);
  });
});

describe('security barrier', () => {
  it('a leaky function in the reader\'s WHERE never sees rows the view filters out', async () => {
    const fn = `pg_temp.leak_${v.org.tag}`;
    const c = await v.org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [v.org.role('plain')]);
      await c.query(`create function ${fn}(t text) returns boolean language plpgsql cost 0.0001 as $$ begin raise notice 'leak %', t; return true; end $$`);
      const seen: string[] = [];
      c.on('notice', (n) => seen.push(String(n.message)));
      const res = await c.query(`select db_role from api.system_user where ${fn}(db_role)`);
      await c.query('rollback');
      expect(res.rows).toEqual([{ db_role: v.org.role('plain') }]);
      expect(seen).toEqual([`leak ${v.org.role('plain')}`]);
    } finally {
      c.release();
    }
  });
});

describe('model tables', () => {
  it('a model table named like a security view is refused by the view builder', async () => {
    await v.org.admin(`insert into rowscope.secured_table (name, data_schema, api_schema, ownership, class_roles) values ('team_member', 'app', 'api', 'organization', '{}')`);
    await expect(v.org.admin(`select rowscope._build_security_views('api')`)).rejects.toMatchObject({ code: '42P07' });
  });
});
