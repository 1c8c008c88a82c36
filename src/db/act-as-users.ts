// Acting as rowscope users on the deployment administrator's own connection
// (the demo's seed and its "what each user sees" table: src/demo/). A
// superuser may SET ROLE to anyone. A deployer that is no superuser (managed
// PostgreSQL, docs/operations.md "Managed PostgreSQL") is no member of the
// users' roles, and on PostgreSQL 16+ cannot grant them either: they are
// created by rowscope_definer (sql/071_admin_users.sql). Every user's role is
// granted to rowscope_authenticator, on which the deployer holds ADMIN OPTION
// (CREATEROLE on 15; on 16+ from creating it, sql/001_roles.sql), so it grants
// itself rowscope_authenticator -- SET only, no INHERIT -- inside the
// caller's transaction, which revokes it again (or rolls back) before the
// transaction ends: the membership never outlives the work.
import type pg from 'pg';

/**
 * Within an open transaction of `client`: makes SET ROLE to any rowscope user
 * possible. Returns the function that undoes it (call it before COMMIT; a
 * ROLLBACK undoes it too).
 */
export async function allowActingAsUsers(client: pg.ClientBase): Promise<() => Promise<void>> {
  const { rows: [v] } = await client.query<{ v: number }>("select current_setting('server_version_num')::int as v");
  // 16+: a membership may carry ADMIN OPTION only (what creating the role
  // gives); SET ROLE needs the SET option. 15 knows membership only.
  const { rows } = await client.query<{ super: boolean; member: boolean }>(`
    select r.rolsuper as super, pg_has_role(current_user, 'rowscope_authenticator', $1) as member
    from pg_roles r where r.rolname = current_user`, [v!.v >= 160000 ? 'SET' : 'MEMBER']);
  const me = { ...rows[0]!, v: v!.v };
  if (me.super || me.member) return async () => {};
  await client.query(me.v >= 160000
    ? 'grant rowscope_authenticator to current_user with inherit false, set true'
    : 'grant rowscope_authenticator to current_user');
  return async () => {
    await client.query('reset role');
    await client.query('revoke rowscope_authenticator from current_user');
  };
}
