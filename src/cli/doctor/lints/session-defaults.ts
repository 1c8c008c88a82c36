// The session defaults of the model (sessionDefaults: lock_timeout,
// idle_in_transaction_session_timeout, statement_timeout) on every rowscope
// user's login in this database (sql/076_session_defaults.sql). Without them a
// user's own session may hold a lock (LOCK TABLE, SELECT … FOR UPDATE) or an
// open transaction for as long as it likes and block everyone else's writes.
import { lit } from '../../../sql/index.ts';
import { rows, type Lint } from '../context.ts';

interface Missing { role: string; quoted: string; setting: string; wanted: string; have: string | null }

export const SESSION_DEFAULT_LINTS: Lint[] = [
  {
    name: 'user_session_defaults',
    level: 'warn',
    rule: 'every rowscope user\'s login has the model\'s session defaults (lock_timeout, idle_in_transaction_session_timeout, statement_timeout) in this database',
    run: async (ctx) => {
      const users = ctx.users.filter((u) => u.userId !== null && u.canLogin && !u.disabled).map((u) => u.name);
      // a rowscope schema from before session defaults has nothing to compare
      // with (its upgrade migration brings them)
      const [known] = await rows<{ ok: boolean }>(ctx, `select to_regprocedure('rowscope._session_default_settings()') is not null as ok`);
      if (users.length === 0 || !known?.ok) return [];
      const missing = await rows<Missing>(ctx, `
        select u.name as role, quote_ident(u.name) as quoted, d.setting, d.value as wanted,
               (select substr(c, length(d.setting) + 2) from unnest(s.setconfig) c where starts_with(c, d.setting || '=')) as have
        from unnest($1::text[]) u(name)
        cross join rowscope._session_default_settings() d
        left join lateral (
          select c.setconfig from pg_db_role_setting c join pg_roles r on r.oid = c.setrole
          join pg_database b on b.oid = c.setdatabase and b.datname = current_database()
          where r.rolname = u.name) s on true
        where not (d.setting || '=' || d.value = any (coalesce(s.setconfig, '{}')))
        order by 1, 3`, [users]);
      return missing.map((m) => ({
        object: `role ${m.role}`,
        message: `${m.setting} is ${m.have === null ? 'not set' : `'${m.have}'`} on ${m.role}'s login in this database; the model asks for '${m.wanted}'`,
        remedy: `select rowscope._apply_session_defaults(${lit(m.role).text}) (as the deployment administrator), or: alter role ${m.quoted} in database <this database> set ${m.setting} = ${lit(m.wanted).text}`,
      }));
    },
  },
];

