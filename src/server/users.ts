// Who a verified token's `sub` is: the system user's database role (and the
// planner setting rowscope keeps on the user's login, which SET ROLE would not
// apply).
//
// The authoritative lookup uses a small pool of its own on the administrator's
// connection (ROWSCOPE_ADMIN_DATABASE_URL, else DATABASE_URL when that is a
// superuser): the server's login, rowscope_authenticator, deliberately holds no
// right on the rowscope catalog, and before a request is authenticated there
// is no user role to act as. The query is one fixed, parameterised read of
// rowscope.system_user; nothing else runs on this pool.
//
// Enabled users are remembered (`userCache`): every request still proves, on
// its own connection, that the remembered role is the token's user and that
// the user is enabled now (src/server/session.ts), so a disabled user is
// refused from the next request on; the cache only saves this lookup.
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

export interface UserCache {
  /** The user, remembered or looked up; disabled and unknown users are never remembered. */
  get(id: string): Promise<SystemUser | null>;
  /** The user looked up now (and remembered again when enabled). */
  refresh(id: string): Promise<SystemUser | null>;
}

/**
 * Remembers enabled users for `ttlMs` (default 10 s): the role of a user never
 * changes, and the planner setting is a hint whose staleness costs speed, not
 * security. Bounded in size; the oldest entry goes first.
 */
export function userCache(find: FindUser, opts: { ttlMs?: number; maxEntries?: number } = {}): UserCache {
  const ttlMs = opts.ttlMs ?? 10_000;
  const maxEntries = opts.maxEntries ?? 10_000;
  const users = new Map<string, { user: SystemUser; until: number }>();
  const refresh = async (id: string) => {
    users.delete(id);
    const user = await find(id);
    if (user && !user.isDisabled && ttlMs > 0) {
      if (users.size >= maxEntries) users.delete(users.keys().next().value!);
      users.set(id, { user, until: Date.now() + ttlMs });
    }
    return user;
  };
  return {
    async get(id) {
      const hit = users.get(id);
      return hit && Date.now() < hit.until ? hit.user : refresh(id);
    },
    refresh,
  };
}
