// create_user_logins (sql/151): a superuser's call creates the LOGIN roles and
// grants rowscope_user itself (the definer's CREATE ROLE and GRANT walk every
// login it holds ADMIN on); the result must be what the definer's path gives:
// the definer holds ADMIN on each login and manages it later, and a role that
// existed before is still checked (a privileged one is refused, changing nothing).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import { ident, sql } from '../../../src/sql/index.ts';

let db: TestDatabase;
let org: Org;
let pg16: boolean;

beforeAll(async () => {
  db = await securedDatabase('basic');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('seller', 'sales', ['salesperson']);
  pg16 = (await org.admin<{ v: number }>(`select current_setting('server_version_num')::int as v`))[0]!.v >= 160000;
});
afterAll(async () => {
  await org?.admin(sql`drop role if exists ${ident(org.role('pre'))}`.text);
  await org?.close();
  await db?.drop();
});

const deferred = async (names: string[]) => (await org.admin<{ id: string }>('select id from rowscope.create_users($1, true)', [
  JSON.stringify(names.map((n) => ({ db_role: org.role(n), business_unit_id: org.bu('sales') })))])).map((r) => r.id);

const memberships = (role: string) => org.admin<{ role: string; admin: boolean; inherit: boolean; set: boolean }>(`
  select g.rolname::text as role, m.admin_option as admin,
         -- (PostgreSQL 16+ columns: null on 15)
         (to_jsonb(m) ->> 'inherit_option')::boolean as inherit, (to_jsonb(m) ->> 'set_option')::boolean as set
  from pg_auth_members m join pg_roles g on g.oid = m.roleid where m.member = $1::regrole
    and g.rolname in ('rowscope_user') order by 1`, [role]);

describe('create_user_logins', () => {
  it('creates plain logins the definer holds ADMIN on, in rowscope_user, which the definer then manages', async () => {
    const ids = await deferred(['l1', 'l2']);
    await org.admin('select rowscope.create_user_logins($1)', [ids]);
    const roles = await org.admin(`select rolname::text as r, rolcanlogin as login, rolsuper or rolcreaterole or rolcreatedb or rolbypassrls as privileged
                                   from pg_roles where rolname = any ($1) order by 1`, [[org.role('l1'), org.role('l2')]]);
    expect(roles).toEqual([{ r: org.role('l1'), login: true, privileged: false }, { r: org.role('l2'), login: true, privileged: false }]);
    if (pg16) {
      expect(await memberships(org.role('l1'))).toEqual([{ role: 'rowscope_user', admin: false, inherit: true, set: false }]);
      const definer = await org.admin(`select m.admin_option as admin, m.inherit_option as inherit, m.set_option as set from pg_auth_members m
                                       where m.roleid = $1::regrole and m.member = 'rowscope_definer'::regrole`, [org.role('l2')]);
      expect(definer).toEqual([{ admin: true, inherit: false, set: false }]);
    } else {
      expect((await org.admin(`select pg_has_role($1, 'rowscope_user', 'member') as m`, [org.role('l1')]))[0]!.m).toBe(true);
    }
    // the definer alters the login (ALTER ROLE needs its ADMIN on PostgreSQL 16+)
    await org.admin('select rowscope.disable_user($1)', [ids[1]]);
    expect((await org.admin(`select rolcanlogin as l from pg_roles where rolname = $1`, [org.role('l2')]))[0]!.l).toBe(false);
    await org.admin('select rowscope.enable_user($1)', [ids[1]]);
    expect((await org.admin(`select rolcanlogin as l from pg_roles where rolname = $1`, [org.role('l2')]))[0]!.l).toBe(true);
    // and the login reads as a user of this database (no role: nothing)
    org.users.set('l1', ids[0]!);
    expect(await org.visible('l1', 'account')).toEqual([]);
  });

  it('still refuses a role that existed before and holds a privilege, and creates none of the other logins', async () => {
    const [fresh, pre] = await deferred(['fresh', 'pre']);
    await org.admin(sql`create role ${ident(org.role('pre'))} login createdb`.text);
    let error: { code?: string; message?: string } = {};
    try {
      await org.admin('select rowscope.create_user_logins($1)', [[fresh, pre]]);
    } catch (e) {
      error = e as { code: string; message: string };
    }
    expect(error.code).toBe('42501');
    expect(error.message).toContain(org.role('pre'));
    expect(error.message).toContain('has CREATEDB');
    // all or nothing: the new login was not created, the old role got nothing
    expect(await org.admin(`select count(*)::int as n from pg_roles where rolname = $1`, [org.role('fresh')])).toEqual([{ n: 0 }]);
    expect(await memberships(org.role('pre'))).toEqual([]);
  });
});
