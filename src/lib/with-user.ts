// withUser(pool, userIdOrDbRole, fn): how an application on a connection pool
// runs work as one rowscope user (docs/operations.md, "Connecting an app per
// user"). One pooled connection, one transaction, `SET LOCAL ROLE` to the
// user's database role: RLS and the api views' grants then apply exactly as to
// that user's own login, and the role ends with the transaction, so nothing
// leaks to the next borrower of the connection (also under PgBouncer's
// transaction pooling, where a session-level SET ROLE would).
//
// The role is checked before it is taken, because the pool's login may be far
// more than a user (a superuser during development): only a rowscope user's
// role is accepted (a member of rowscope_user, not of rowscope's own roles, no
// superuser or BYPASSRLS), and a disabled user (NOLOGIN, sql/071_admin_users.sql
// disable_user) is refused. Those checks read pg_roles, which every login may
// read; resolving a user id reads rowscope.system_user, which needs a login
// that may read the catalog (not rowscope_authenticator: pass the db_role there).
import type pg from 'pg';
import { sql } from '../sql/index.ts';

/** A refusal or a bad argument, with the SQLSTATE PostgreSQL would use (42501 or 22023). */
export class WithUserError extends Error {
  constructor(message: string, readonly code: '42501' | '22023') {
    super(message);
    this.name = 'WithUserError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// rowscope's own roles (sql/001_roles.sql): never a user to act as.
const PRIVILEGED = ['rowscope_admin', 'rowscope_owner', 'rowscope_definer', 'rowscope_authenticator'];

async function dbRoleOf(client: pg.PoolClient, userId: string): Promise<string> {
  let rows: { db_role: string }[];
  try {
    ({ rows } = await client.query<{ db_role: string }>(sql`select db_role from rowscope.system_user where id = $1`.text, [userId]));
  } catch (error) {
    if ((error as { code?: string }).code === '42501') {
      throw new WithUserError(`withUser: this pool's login may not read rowscope.system_user to resolve user id ${userId}; pass the user's db_role instead`, '42501');
    }
    throw error;
  }
  if (rows.length === 0) throw new WithUserError(`withUser: userIdOrDbRole: no rowscope user has id ${userId}`, '22023');
  return rows[0]!.db_role;
}

async function checkUserRole(client: pg.PoolClient, role: string): Promise<void> {
  const { rows } = await client.query<{ can_login: boolean; is_user: boolean; privileged: boolean }>(
    sql`select r.rolcanlogin as can_login,
            pg_has_role(r.oid, 'rowscope_user', 'member') as is_user,
            r.rolsuper or r.rolbypassrls
              or exists (select 1 from pg_roles p where p.rolname = any ($2::name[]) and pg_has_role(r.oid, p.oid, 'member')) as privileged
     from pg_roles r where r.rolname = $1`.text,
    [role, PRIVILEGED],
  );
  const found = rows[0];
  if (!found || !found.is_user || found.privileged) {
    throw new WithUserError(`withUser: userIdOrDbRole: ${role} is not a rowscope user's database role`, '22023');
  }
  if (!found.can_login) throw new WithUserError(`withUser: user ${role} is disabled`, '42501');
}

/**
 * Runs `fn(client)` as the rowscope user `userIdOrDbRole` (a system user id or
 * its db_role) in a transaction on a connection from `pool`: committed when
 * `fn` resolves, rolled back when it throws (the error is rethrown). The
 * client must not be used after `fn` returns; do not COMMIT inside `fn`.
 */
export async function withUser<T>(pool: pg.Pool, userIdOrDbRole: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  if (typeof userIdOrDbRole !== 'string' || userIdOrDbRole === '') {
    throw new WithUserError('withUser: userIdOrDbRole must be a user id or a database role name', '22023');
  }
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(sql`begin`.text);
    try {
      const role = UUID.test(userIdOrDbRole) ? await dbRoleOf(client, userIdOrDbRole) : userIdOrDbRole;
      await checkUserRole(client, role);
      // SET LOCAL ROLE with the name as a parameter: no quoting to get wrong.
      await client.query(sql`select set_config('role', $1, true)`.text, [role]);
      const result = await fn(client);
      await client.query(sql`commit`.text);
      return result;
    } catch (error) {
      await client.query(sql`rollback`.text).catch((rollbackError: Error) => {
        // the connection is unusable: the pool must not hand it out again
        broken = rollbackError;
      });
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
