// The set-based class refresh (sql/050 rowscope._refresh_classes) behind the
// bulk functions and `rowscope import`: after a bulk load every login is in
// exactly the class and write roles its access sets call for (what
// rowscope._read_class and rowscope._may_change say one user at a time), and a
// later bulk change moves them; an open bulk load in one database holds no lock
// another database's migration or create_user waits for
// (test/integration/adversarial/two-databases.test.ts has the class side of
// that).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrlFor, createDatabase, dropDatabase, withClient } from '../../../src/db/client.ts';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { buildSecured, securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('basic');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'sales');
  await org.createUser('seller', 'sales', ['salesperson']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

/**
 * Every (user, role) where the login's membership in one of this database's
 * class or write roles differs from what the access sets call for.
 */
async function misplaced(users: string[]): Promise<{ db_role: string; role: string; member: boolean; wanted: boolean }[]> {
  return org.admin(`
    with u as (select s.id, s.db_role, g.oid from rowscope.system_user s join pg_roles g on g.rolname = s.db_role where s.id = any ($1)),
    managed as (
      select u.id, u.db_role, u.oid, t.name as table_name, c.key as kind, c.value as role from u cross join rowscope.secured_table t
      cross join jsonb_each_text(t.class_roles) c
      union all
      select u.id, u.db_role, u.oid, t.name, k.kind, rowscope._table_role(t.name, k.kind) from u cross join rowscope.secured_table t
      cross join (values ('update'), ('delete')) k(kind))
    select m.db_role::text, m.role, exists (select from pg_auth_members a where a.roleid = m.role::regrole and a.member = m.oid) as member,
           case when m.kind in ('update', 'delete') then rowscope._may_change(m.id, m.table_name, m.kind)
                else m.kind = rowscope._read_class(m.id, m.table_name) end as wanted
    from managed m
    where exists (select from pg_auth_members a where a.roleid = m.role::regrole and a.member = m.oid)
          is distinct from case when m.kind in ('update', 'delete') then rowscope._may_change(m.id, m.table_name, m.kind)
                                else m.kind = rowscope._read_class(m.id, m.table_name) end
    order by 1, 2`, [users]);
}

/** Users whose planner setting differs from what rowscope._owners_are_few asks for. */
async function wrongSettings(users: string[]): Promise<string[]> {
  return (await org.admin<{ db_role: string }>(`
    select s.db_role::text from rowscope.system_user s where s.id = any ($1)
      and exists (select from pg_db_role_setting r join pg_database d on d.oid = r.setdatabase and d.datname = current_database()
                  where r.setrole = s.db_role::regrole and 'effective_cache_size=64MB' = any (r.setconfig))
          is distinct from exists (select from rowscope.secured_table t
                                   where rowscope._read_class(s.id, t.name) in ('user', 'user_shared') and rowscope._owners_are_few(s.id, t.name))
    order by 1`, [users])).map((r) => r.db_role);
}

/**
 * Users and tables where rowscope._read_class (existence checks) differs from
 * the class the access-set arrays give (sql/040: _scope_org, _scope_records,
 * _scope_bus, _scope_owners), which it stands for.
 */
async function classDrift(users: string[]): Promise<unknown[]> {
  return org.admin(`
    select * from (
      select s.db_role::text, t.name, rowscope._read_class(s.id, t.name) as got,
             case when not rowscope._mode_allows(s.id, t.name, 'read') then 'none'
                  when rowscope._scope_org(s.id, t.name, 'read') then 'org'
                  when t.ownership = 'organization' then 'none'
                  when cardinality(rowscope._scope_bus(s.id, t.name, 'read')) > 0 then 'bu' || x.shared
                  when cardinality(rowscope._scope_owners(s.id, t.name, 'read')) > 0 then 'user' || x.shared
                  else 'none' end as wanted
      from rowscope.system_user s cross join rowscope.secured_table t
      cross join lateral (select case when cardinality(rowscope._scope_records(s.id, t.name, 'read')) > 0 then '_shared' else '' end as shared) x
      where s.id = any ($1)) d
    where d.got is distinct from d.wanted`, [users]);
}

/** The users' read class of a table, by persona suffix. */
async function classes(users: string[], table: string): Promise<Record<string, string>> {
  const rows = await org.admin<{ db_role: string; class: string }>(`
    select s.db_role::text, c.key as class from rowscope.system_user s join rowscope.secured_table t on t.name = $2
    cross join jsonb_each_text(t.class_roles) c
    where s.id = any ($1) and exists (select from pg_auth_members a where a.roleid = c.value::regrole and a.member = s.db_role::regrole)`,
  [users, table]);
  return Object.fromEntries(rows.map((r) => [r.db_role.slice(org.tag.length + 1), r.class]));
}

describe('the set-based class refresh', () => {
  it('after a bulk load every login is in the classes its access sets call for, and a bulk change moves them', async () => {
    const team = await org.createTeam('readers', 'service');
    const plan = Array.from({ length: 24 }, (_, i) => ({ p: `c${String(i).padStart(2, '0')}`, bu: i % 2 ? 'sales' : 'service' }));
    const roles = ['reader_org', 'reader_bu', 'reader_deep', 'reader_user', 'salesperson', 'sales_manager', null, null];
    const c = await org.pool.connect();
    let ids: string[];
    try {
      await c.query('begin');
      const { rows } = await c.query<{ id: string }>('select id from rowscope.create_users($1, true)', [JSON.stringify(
        plan.map((u) => ({ db_role: org.role(u.p), business_unit_id: org.bu(u.bu) })))]);
      ids = rows.map((r) => r.id);
      // 300 more users who never get a login: a user-depth reader's owners (itself, its default team) are then under 1% of all owners
      await c.query('select id from rowscope.create_users($1, true)', [JSON.stringify(
        Array.from({ length: 300 }, (_, i) => ({ db_role: org.role(`f${i}`), business_unit_id: org.bu('sales') })))]);
      await c.query('select rowscope.assign_roles($1)', [JSON.stringify(ids.flatMap((id, i) =>
        roles[i % roles.length] ? [{ principal_id: id, role_name: roles[i % roles.length] }] : []))]);
      // managers: c01 over c09 and c17, c09 over c10 (the hierarchy arms, where the model has one)
      await c.query('select rowscope.set_managers($1)', [JSON.stringify([
        { user_id: ids[9], manager_id: ids[1] }, { user_id: ids[17], manager_id: ids[1] }, { user_id: ids[10], manager_id: ids[9] }])]);
      // a team's role reaches its members; a share lifts a user-depth reader into user_shared
      await c.query('select rowscope.assign_roles($1)', [JSON.stringify([{ principal_id: team, role_name: 'reader_bu' }])]);
      await c.query('select rowscope.add_team_members($1)', [JSON.stringify([{ team_id: team, user_id: ids[6] }, { team_id: team, user_id: ids[7] }])]);
      const account = (await c.query<{ id: string }>(`insert into app.account (name, owner_id) values ('shared', $1) returning id`, [org.id('seller')])).rows[0]!.id;
      await c.query('select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify([{ record_id: account, principal_id: ids[3], rights: ['read'] }])]);
      await c.query('select rowscope.create_user_logins($1)', [ids]);
      await c.query('commit');
    } finally {
      c.release();
    }
    // every login got the session defaults (sql/076), here applied by the superuser's create_user_logins
    const missing = await org.admin(`
      select s.db_role::text, d.setting from rowscope.system_user s cross join rowscope._session_default_settings() d
      where s.id = any ($1) and not exists (
        select from pg_db_role_setting c join pg_database b on b.oid = c.setdatabase and b.datname = current_database()
        where c.setrole = s.db_role::regrole and d.setting || '=' || d.value = any (c.setconfig))`, [ids]);
    expect(missing).toEqual([]);
    expect(await org.admin(`select count(*)::int as n from rowscope._session_default_settings()`)).toEqual([{ n: 3 }]);
    // the superuser-only part is no one else's
    const refused = await org.refused('seller', 'select rowscope._create_user_logins_without_defaults($1)', [[ids[0]]]);
    expect(refused.code).toBe('42501');
    expect(await classDrift([...ids, org.id('seller')])).toEqual([]);
    expect(await misplaced(ids)).toEqual([]);
    const before = await classes(ids, 'account');
    expect(before).toMatchObject({ c00: 'org', c01: 'bu', c02: 'bu', c03: 'user_shared', c06: 'bu', c07: 'bu', c08: 'org' });
    // no role and no team role: nothing to read (every login has exactly one class)
    expect(Object.keys(before)).toHaveLength(24);
    expect(before.c14).toBe('none');
    // user-depth readers with few owners plan with a small cache setting (sql/050 _set_class_settings), the others without
    expect(await wrongSettings(ids)).toEqual([]);
    const [setting] = await org.admin(`select exists (select from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase and d.datname = current_database()
      where s.setrole = $1::regrole and 'effective_cache_size=64MB' = any (s.setconfig)) as has`, [org.role('c03')]);
    expect(setting.has).toBe(true);

    // one bulk statement moves many users at once: everyone without a role becomes an organization reader
    await org.admin('select rowscope.assign_roles($1)', [JSON.stringify(ids.flatMap((id, i) =>
      roles[i % roles.length] ? [] : [{ principal_id: id, role_name: 'reader_org' }]))]);
    expect(await classDrift(ids)).toEqual([]);
    expect(await misplaced(ids)).toEqual([]);
    const after = await classes(ids, 'account');
    expect([after.c06, after.c07, after.c14, after.c15]).toEqual(['org', 'org', 'org', 'org']);
    expect(after.c03).toBe('user_shared');
    expect(await wrongSettings(ids)).toEqual([]);
    // shares given in bulk to users with logins: one refresh at the end of the call, account and cascaded contact alike
    const parent = await org.record('account', 'bulk-shared-parent', 'seller');
    await org.record('contact', 'bulk-shared-child', 'seller', { account_id: parent });
    await org.admin('select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify([{ record_id: parent, principal_id: ids[11], rights: ['read'] }])]);
    expect(await misplaced(ids)).toEqual([]);
    expect((await classes(ids, 'account')).c11).toBe('user_shared');
    // a user cannot switch the refresh off with the setting alone (sql/050 refresh_deferral)
    const own = await org.record('account', 'seller-shares', 'seller');
    await org.as('seller', `select set_config('rowscope.refresh_deferral_opened', 'on', true), rowscope.grant_access('account', $1, $2, array['read'])`, [own, ids[19]]);
    expect((await classes(ids, 'account')).c19).toBe('user_shared');
    expect(await misplaced(ids)).toEqual([]);

    // and the login sees what the class says, through the api views
    org.users.set('c14', ids[14]!);
    await org.record('account', 'seen-by-c14', 'seller');
    expect(await org.visible('c14', 'account')).toContain('seen-by-c14');
  });
});

describe('locks of a bulk load', () => {
  it("an open bulk load in one database holds no lock another database's migration or create_user waits for", async () => {
    const adminUrl = db.adminUrl;
    const other = `bulk_locks_${randomBytes(4).toString('hex')}`;
    const c = await org.pool.connect();
    const login = `${org.tag}_elsewhere`;
    let otherTag = '';
    try {
      // the load, up to its logins, left open: users, roles, teams, members, shares
      await c.query('begin');
      const { rows } = await c.query<{ id: string }>('select id from rowscope.create_users($1, true)', [JSON.stringify(
        Array.from({ length: 50 }, (_, i) => ({ db_role: org.role(`l${i}`), business_unit_id: org.bu('sales') })))]);
      await c.query('select rowscope.assign_roles($1)', [JSON.stringify(rows.map((r) => ({ principal_id: r.id, role_name: 'salesperson' })))]);
      await c.query(`select rowscope.assign_roles($1)`, [JSON.stringify([{ principal_id: org.id('seller'), role_name: 'reader_bu' }])]);
      const accounts = (await c.query<{ id: string }>(`insert into app.account (name, owner_id) select 'l' || i, $1 from generate_series(1, 200) i returning id`,
        [org.id('seller')])).rows;
      await c.query('select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify(accounts.flatMap((a, i) =>
        [{ record_id: a.id, principal_id: rows[i % rows.length]!.id, rights: ['read'] }, { record_id: a.id, principal_id: org.id('seller'), rights: ['write'] }]))]);

      // another database: created and migrated, then a user created, and no
      // session of it ever waits for the open load. Watched by the waits
      // themselves (pg_blocking_pids), not by a timeout: other test files'
      // transactions on the cluster-wide roles (rowscope_user) may make these
      // steps wait a while for them, never for this load.
      const loadPid = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      const blockedByLoad: string[] = [];
      let watching = true;
      const watcher = withClient(adminUrl, async (w) => {
        while (watching) {
          const { rows: blocked } = await w.query<{ query: string }>(
            'select a.query from pg_stat_activity a where a.datname = $1 and $2 = any (pg_blocking_pids(a.pid))', [other, loadPid]);
          blockedByLoad.push(...blocked.map((b) => b.query));
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      });
      try {
        await createDatabase(adminUrl, other);
        // a bound on waiting all the same, so that a wait for the load ends the test
        const u = new URL(adminUrlFor(adminUrl, other));
        u.searchParams.set('options', '-c lock_timeout=30s');
        const url = u.toString();
        await buildSecured(url, 'basic');
        await withClient(url, async (o) => {
          otherTag = (await o.query('select tag from rowscope.database_tag')).rows[0].tag;
          const [root] = (await o.query(`select rowscope.create_business_unit('elsewhere', null) as id`)).rows;
          await o.query('select rowscope.create_user($1, $2)', [login, root.id]);
        });
      } finally {
        watching = false;
        await watcher;
      }
      expect(blockedByLoad).toEqual([]);

      // the load finishes: the logins, then a commit with nothing left to chain
      await c.query('select rowscope.seal_audit()');
      await c.query('select rowscope.create_user_logins($1)', [rows.map((r) => r.id)]);
      const { rows: unchained } = await c.query(`select count(*)::int as n from rowscope.audit_log where seq is null and txid = txid_current()`);
      expect(unchained[0].n).toBe(0);
      await c.query('commit');
      expect(await misplaced([...rows.map((r) => r.id), org.id('seller')])).toEqual([]);
    } finally {
      await c.query('rollback').catch(() => {});
      c.release();
      await dropDatabase(adminUrl, other).catch(() => {});
      await withClient(adminUrl, async (a) => {
        // the login it created and the other database's own roles (cluster-wide)
        const { rows: tagged } = await a.query(`select quote_ident(rolname) as r from pg_roles where rolname = $1 or ($2 <> '' and starts_with(rolname, 'rowscope_' || $2 || '_'))`,
          [login, otherTag]);
        for (const { r } of tagged) await a.query(`drop role if exists ${r}`);
      });
    }
  }, 120_000);
});
