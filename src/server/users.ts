// Who a verified token's `sub` is, asked afresh for every request: the system
// user's database role, whether the user is disabled, and the planner setting
// rowscope keeps on the user's login (which SET ROLE would not apply).
//
// The lookup uses a small pool of its own on the administrator's connection
// (ROWSCOPE_ADMIN_DATABASE_URL, else DATABASE_URL when that is a superuser):
// the server's login, rowscope_authenticator, deliberately holds no right on
// the rowscope catalog, and before a request is authenticated there is no user
// role to act as. The query is one fixed, parameterised read of
// rowscope.system_user; nothing else runs on this pool.
//
// Batched (`userChecker`): the requests that arrive while a lookup is out are
// answered together by the next one, so under load a lookup costs a fraction
// of a round trip per request, while each request is still answered by a
// lookup that started after it arrived: a user disabled (or a token's user
// deleted) before a request came is refused for that request.
//
// The planner setting is only a hint (a stale one costs speed, never
// access), and reading it costs several times the rest of the lookup
// (pg_db_role_setting): it is remembered per role for `settingTtlMs`.
import type pg from 'pg';

export interface SystemUser {
  dbRole: string;
  isDisabled: boolean;
  /** the effective_cache_size rowscope set on the login for its access classes (sql/050), if any */
  effectiveCacheSize: string | null;
}

export type FindUser = (id: string) => Promise<SystemUser | null>;

const LOOKUP = {
  name: 'rowscope_server_users',
  text: 'select u.id::text as id, u.db_role, u.is_disabled from rowscope.system_user u where u.id = any ($1::uuid[])',
};

const LOGIN_SETTING = {
  name: 'rowscope_server_login_setting',
  text: `select substr(c, length('effective_cache_size=') + 1) as ecs
         from pg_db_role_setting s, unnest(s.setconfig) c
         where s.setdatabase = (select d.oid from pg_database d where d.datname = current_database())
           and s.setrole = to_regrole($1) and starts_with(c, 'effective_cache_size=')`,
};

/** Looks users up in batches: at most `inFlight` lookups out at once, each for every id asked since the last went out. */
export function userChecker(adminPool: pg.Pool, opts: { inFlight?: number; maxBatch?: number; settingTtlMs?: number } = {}): FindUser {
  const inFlight = opts.inFlight ?? 1;
  const maxBatch = opts.maxBatch ?? 500;
  const settingTtlMs = opts.settingTtlMs ?? 10_000;
  const settings = new Map<string, { ecs: Promise<string | null>; until: number }>();
  const loginSetting = (role: string): Promise<string | null> => {
    const hit = settings.get(role);
    if (hit && Date.now() < hit.until) return hit.ecs;
    const ecs = adminPool.query<{ ecs: string }>({ ...LOGIN_SETTING, values: [role] }).then((r) => r.rows[0]?.ecs ?? null);
    // Bounded by the number of users; a failed read is not remembered.
    settings.set(role, { ecs, until: Date.now() + settingTtlMs });
    ecs.catch(() => {
      if (settings.get(role)?.ecs === ecs) settings.delete(role);
    });
    return ecs;
  };
  let waiting: Array<{ id: string; resolve: (u: SystemUser | null) => void; reject: (e: unknown) => void }> = [];
  let out = 0;
  const flush = () => {
    if (out >= inFlight || waiting.length === 0) return;
    const batch = waiting.slice(0, maxBatch);
    waiting = waiting.slice(batch.length);
    out++;
    const ids = [...new Set(batch.map((w) => w.id))];
    void (async () => {
      try {
        const { rows } = await adminPool.query<{ id: string; db_role: string; is_disabled: boolean }>({ ...LOOKUP, values: [ids] });
        const byId = new Map<string, SystemUser>();
        for (const r of rows) byId.set(r.id, { dbRole: r.db_role, isDisabled: r.is_disabled, effectiveCacheSize: await loginSetting(r.db_role) });
        for (const w of batch) w.resolve(byId.get(w.id) ?? null);
      } catch (error) {
        for (const w of batch) w.reject(error);
      } finally {
        out--;
        flush();
      }
    })();
  };
  return (id) => new Promise<SystemUser | null>((resolve, reject) => {
    waiting.push({ id, resolve, reject });
    flush();
  });
}
