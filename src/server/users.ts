// Who a verified token's `sub` is: the system user's database role, looked up
// fresh for every request, so disabling a user takes effect immediately.
//
// The lookup uses a small pool of its own on the administrator's connection
// (ROWSCOPE_ADMIN_DATABASE_URL, else DATABASE_URL when that is a superuser):
// the server's login, rowscope_authenticator, deliberately holds no right on
// the rowscope catalog, and before a request is authenticated there is no user
// role to act as. The query is one fixed, parameterised read of
// rowscope.system_user (and the planner setting rowscope keeps on the user's
// login, which SET ROLE would not apply); nothing else runs on this pool per
// request.
import type pg from 'pg';

export interface SystemUser {
  dbRole: string;
  isDisabled: boolean;
  /** the effective_cache_size rowscope set on the login for its access classes (sql/050), if any */
  effectiveCacheSize: string | null;
}

export type FindUser = (id: string) => Promise<SystemUser | null>;

export function userFinder(adminPool: pg.Pool): FindUser {
  return async (id) => {
    const { rows } = await adminPool.query<{ db_role: string; is_disabled: boolean; ecs: string | null }>(
      `select u.db_role, u.is_disabled,
              (select substr(c, length('effective_cache_size=') + 1)
               from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
                    join pg_database d on d.oid = s.setdatabase and d.datname = current_database(),
                    unnest(s.setconfig) c
               where r.rolname = u.db_role and starts_with(c, 'effective_cache_size=')) as ecs
       from rowscope.system_user u where u.id = $1`, [id]);
    const row = rows[0];
    return row ? { dbRole: row.db_role, isDisabled: row.is_disabled, effectiveCacheSize: row.ecs } : null;
  };
}
