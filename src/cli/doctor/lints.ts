// The catalog lints of `rowscope doctor` (SPEC §5, DESIGN §3): each checks one
// rule a secured database must keep and reports every offending object with a
// remedy, as plain SQL over the system catalogs and the rowscope catalog
// (in the spirit of supabase/splinter). Run as the deployment administrator.
import type pg from 'pg';
import { userRoles, type UserRole } from './user-roles.ts';

export type Level = 'error' | 'warn';

export interface Finding {
  lint: string;
  level: Level;
  /** the offending object, e.g. `app.account`, `role alice`, `rowscope.f(uuid)` */
  object: string;
  message: string;
  /** what to run or change to fix it */
  remedy: string;
}

interface Context {
  client: pg.Client;
  users: UserRole[];
  /** oids of the user roles that are not superusers (superusers are reported on their own and hold everything) */
  userOids: number[];
  /** the data and api schemas of the model, and rowscope */
  schemas: string[];
  /** server_version_num */
  serverVersion: number;
}

export interface Lint {
  name: string;
  level: Level;
  /** the rule, in one line */
  rule: string;
  run(ctx: Context): Promise<Omit<Finding, 'lint' | 'level'>[]>;
}

const rows = async <T extends pg.QueryResultRow>(ctx: Context, text: string, values: unknown[] = []) =>
  (await ctx.client.query<T>(text, values)).rows;

// A role some user role can act as (inherits or may SET ROLE to), or PUBLIC.
const REACHES_USERS = `(a.grantee = 0 or exists (select from unnest($1::oid[]) u(oid) where pg_has_role(u.oid, a.grantee, 'MEMBER')))`;
const GRANTEE = `case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end`;

interface TableState { object: string; state: 'missing' | 'disabled' | 'not_forced' }

async function tableStates(ctx: Context): Promise<TableState[]> {
  return rows<TableState>(ctx, `
    select format('%I.%I', t.data_schema, t.name) as object,
           case when c.oid is null then 'missing' when not c.relrowsecurity then 'disabled' else 'not_forced' end as state
    from rowscope.secured_table t
    left join pg_class c on c.oid = to_regclass(format('%I.%I', t.data_schema, t.name)) and c.relkind in ('r', 'p')
    where c.oid is null or not c.relrowsecurity or not c.relforcerowsecurity
    order by 1`);
}

export const LINTS: Lint[] = [
  {
    name: 'model_table_missing',
    level: 'error',
    rule: 'every table of the model exists',
    run: async (ctx) => (await tableStates(ctx)).filter((t) => t.state === 'missing').map((t) => ({
      object: t.object,
      message: `the model secures ${t.object} but there is no such table`,
      remedy: 'restore the table, or remove it from the model and migrate',
    })),
  },
  {
    name: 'rls_disabled',
    level: 'error',
    rule: 'every model table has row level security enabled',
    run: async (ctx) => (await tableStates(ctx)).filter((t) => t.state === 'disabled').map((t) => ({
      object: t.object,
      message: 'row level security is disabled: every user with a grant on the table sees every row',
      remedy: `alter table ${t.object} enable row level security, force row level security`,
    })),
  },
  {
    name: 'rls_not_forced',
    level: 'error',
    rule: 'every model table has row level security forced (the owner is filtered too)',
    run: async (ctx) => (await tableStates(ctx)).filter((t) => t.state === 'not_forced').map((t) => ({
      object: t.object,
      message: 'row level security is enabled but not forced: the table owner bypasses the policies',
      remedy: `alter table ${t.object} force row level security`,
    })),
  },
  {
    name: 'user_role_superuser',
    level: 'error',
    rule: 'no user role is SUPERUSER',
    run: async (ctx) => ctx.users.filter((u) => u.superuser).map((u) => ({
      object: `role ${u.name}`,
      message: 'a superuser bypasses row level security and every check',
      remedy: `alter role ${quote(u.name)} nosuperuser`,
    })),
  },
  {
    name: 'user_role_bypassrls',
    level: 'error',
    rule: 'no user role has BYPASSRLS',
    run: async (ctx) => ctx.users.filter((u) => u.bypassrls && !u.superuser).map((u) => ({
      object: `role ${u.name}`,
      message: 'BYPASSRLS skips every row level security policy',
      remedy: `alter role ${quote(u.name)} nobypassrls`,
    })),
  },
  {
    name: 'user_dangerous_privilege',
    level: 'error',
    rule: 'no user role holds TRUNCATE, REFERENCES or TRIGGER on a table of the data, api or rowscope schemas',
    run: async (ctx) => {
      const found = await rows<{ object: string; privilege: string; grantee: string; column_name: string | null }>(ctx, `
        select c.oid::regclass::text as object, a.privilege_type as privilege, ${GRANTEE} as grantee, null::text as column_name
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        cross join lateral aclexplode(c.relacl) a
        where n.nspname = any ($2) and c.relkind in ('r', 'p', 'v', 'm', 'f')
          and a.privilege_type in ('TRUNCATE', 'REFERENCES', 'TRIGGER')
          and a.grantee <> c.relowner and ${REACHES_USERS}
        union all
        select c.oid::regclass::text, a.privilege_type, ${GRANTEE}, quote_ident(att.attname)
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped
        cross join lateral aclexplode(att.attacl) a
        where n.nspname = any ($2) and c.relkind in ('r', 'p', 'v', 'm', 'f')
          and a.privilege_type = 'REFERENCES'
          and ${REACHES_USERS}
        order by 1, 2, 3`, [ctx.userOids, ctx.schemas]);
      return found.map((f) => {
        const cols = f.column_name ? ` (${f.column_name})` : '';
        return {
          object: f.column_name ? `${f.object}.${f.column_name}` : f.object,
          message: `${f.grantee} holds ${f.privilege}${cols} on ${f.object}${f.grantee === 'public' ? ', so every user does' : ''}`,
          remedy: `revoke ${f.privilege.toLowerCase()}${cols} on ${f.object} from ${f.grantee}`,
        };
      });
    },
  },
  {
    name: 'user_owns_object',
    level: 'error',
    rule: 'no user role owns a schema, table, view or function of the data, api or rowscope schemas',
    run: async (ctx) => {
      const found = await rows<{ kind: string; object: string; owner: string; rowscope: boolean }>(ctx, `
        select o.kind, o.object, quote_ident(pg_get_userbyid(o.owner)) as owner, o.schema = 'rowscope' as rowscope
        from (
          select 'schema' as kind, quote_ident(n.nspname) as object, n.nspowner as owner, n.nspname::text as schema
          from pg_namespace n where n.nspname = any ($2)
          union all
          select case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence'
                                when 'f' then 'foreign table' else 'table' end,
                 c.oid::regclass::text, c.relowner, n.nspname::text
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = any ($2) and c.relkind in ('r', 'p', 'v', 'm', 'f', 'S')
          union all
          select case p.prokind when 'p' then 'procedure' when 'a' then 'aggregate' else 'function' end,
                 p.oid::regprocedure::text, p.proowner, n.nspname::text
          from pg_proc p join pg_namespace n on n.oid = p.pronamespace
          where n.nspname = any ($2)
        ) o
        where exists (select from unnest($1::oid[]) u(oid) where pg_has_role(u.oid, o.owner, 'MEMBER'))
        order by 2`, [ctx.userOids, ctx.schemas]);
      return found.map((f) => {
        const newOwner = f.kind === 'schema' ? 'the deployment administrator' : f.rowscope || f.kind === 'function' || f.kind === 'procedure' ? 'rowscope_definer' : 'rowscope_owner';
        const alter = f.kind === 'materialized view' ? 'materialized view' : f.kind === 'foreign table' ? 'foreign table' : f.kind === 'aggregate' ? 'aggregate' : f.kind;
        return {
          object: `${f.kind} ${f.object}`,
          message: `${f.kind} ${f.object} is owned by ${f.owner}, a user role (an owner may drop it, alter it and skip its policies)`,
          remedy: `alter ${alter} ${f.object} owner to ${newOwner === 'the deployment administrator' ? 'current_user' : newOwner}`,
        };
      });
    },
  },
  {
    name: 'user_secured_column_privilege',
    level: 'error',
    rule: 'no user role holds a privilege on a secured column (they are read through the api view, masked)',
    run: async (ctx) => {
      const found = await rows<{ object: string; table_name: string; column_name: string; privilege: string; grantee: string; table_level: boolean }>(ctx, `
        select format('%s.%I', c.oid::regclass, col) as object, c.oid::regclass::text as table_name, quote_ident(col) as column_name,
               a.privilege_type as privilege, ${GRANTEE} as grantee, a.table_level
        from rowscope.secured_table t
        cross join unnest(t.secured_columns) col
        join pg_class c on c.oid = to_regclass(format('%I.%I', t.data_schema, t.name))
        join pg_attribute att on att.attrelid = c.oid and att.attname = col and not att.attisdropped
        cross join lateral (
          select x.grantee, x.privilege_type, false as table_level from aclexplode(att.attacl) x
          union all
          select x.grantee, x.privilege_type, true from aclexplode(c.relacl) x
        ) a
        where a.privilege_type in ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES')
          and a.grantee <> c.relowner and ${REACHES_USERS}
        order by 1, 4, 5`, [ctx.userOids]);
      return found.map((f) => ({
        object: f.object,
        message: f.table_level
          ? `${f.grantee} holds ${f.privilege} on all of ${f.table_name}, which includes the secured column ${f.column_name}`
          : `${f.grantee} holds ${f.privilege} on the secured column ${f.object}`,
        remedy: f.table_level
          ? `revoke ${f.privilege.toLowerCase()} on ${f.table_name} from ${f.grantee} (grant the other columns one by one)`
          : `revoke ${f.privilege.toLowerCase()} (${f.column_name}) on ${f.table_name} from ${f.grantee}`,
      }));
    },
  },
  {
    name: 'definer_search_path',
    level: 'error',
    rule: 'every SECURITY DEFINER function pins its search_path',
    run: async (ctx) => (await definers(ctx)).filter((f) => !f.pinned).map((f) => ({
      object: `function ${f.object}`,
      message: 'a security-definer function without its own search_path runs with the caller\'s, who can plant objects it resolves',
      remedy: `alter function ${f.object} set search_path = pg_catalog, pg_temp`,
    })),
  },
  {
    name: 'definer_public_execute',
    level: 'error',
    rule: 'no SECURITY DEFINER function is executable by PUBLIC',
    run: async (ctx) => (await definers(ctx)).filter((f) => f.public).map((f) => ({
      object: `function ${f.object}`,
      message: 'PUBLIC may execute this security-definer function (the default for a new function)',
      remedy: `revoke execute on function ${f.object} from public`,
    })),
  },
  {
    name: 'api_view_missing',
    level: 'error',
    rule: 'every model table has its api view',
    run: async (ctx) => (await apiViews(ctx)).filter((v) => !v.is_view).map((v) => ({
      object: v.object,
      message: `the model table ${v.data_object} has no api view ${v.object}`,
      remedy: `select rowscope._build_api_view(${lit(v.data_schema)}, ${lit(v.name)}, ${lit(v.api_schema)}, ${lit(`{${v.secured.join(',')}}`)})`,
    })),
  },
  {
    name: 'api_view_not_invoker',
    level: 'warn',
    rule: 'api views are security_invoker (RLS applies with the user\'s roles)',
    run: async (ctx) => (await apiViews(ctx)).filter((v) => v.is_view && !v.invoker).map((v) => ({
      object: v.object,
      message: `${v.object} is not security_invoker: the policies are chosen by the view owner's roles instead of the user's`,
      remedy: `alter view ${v.object} set (security_invoker = true)`,
    })),
  },
  {
    name: 'user_login_missing',
    level: 'error',
    rule: 'every rowscope user has its database role',
    run: async (ctx) => (await rows<{ db_role: string; id: string }>(ctx, `
        select u.db_role::text, u.id::text from rowscope.system_user u
        where not exists (select from pg_roles r where r.rolname = u.db_role) order by 1`)).map((u) => ({
      object: `user ${u.db_role}`,
      message: `the rowscope user ${u.id} has no database role ${u.db_role}`,
      remedy: `create role ${quote(u.db_role)} login; grant rowscope_user to ${quote(u.db_role)}; select rowscope._refresh_user_classes('${u.id}')`,
    })),
  },
  {
    name: 'user_class_membership',
    level: 'error',
    rule: 'each rowscope user\'s login is a member of exactly one access class role per model table, the one its privileges call for',
    run: async (ctx) => {
      const found = await rows<{ db_role: string; id: string; table_name: string; expected: string; held: { cls: string; role: string; grantor: string }[] }>(ctx, `
        select u.db_role::text, u.id::text, t.name as table_name, rowscope._read_class(u.id, t.name) as expected,
               coalesce((select jsonb_agg(jsonb_build_object('cls', c.key, 'role', c.value, 'grantor', pg_get_userbyid(m.grantor)) order by c.key)
                         from jsonb_each_text(t.class_roles) c
                         join pg_auth_members m on m.roleid = to_regrole(quote_ident(c.value)) and m.member = to_regrole(quote_ident(u.db_role))),
                        '[]') as held
        from rowscope.system_user u
        cross join rowscope.secured_table t
        where exists (select from pg_roles r where r.rolname = u.db_role)
        order by 1, 3`);
      const v16 = ctx.serverVersion >= 160000;
      return found.flatMap((f) => {
        const classes = [...new Set(f.held.map((h) => h.cls))];
        if (classes.length === 1 && classes[0] === f.expected) return [];
        // PostgreSQL 16+ tracks who granted a membership and a REVOKE only
        // removes the revoker's own grant: the definer cannot undo someone else's.
        const foreign = f.held.filter((h) => h.cls !== f.expected && (!v16 || h.grantor !== 'rowscope_definer'));
        const revokes = foreign.map((h) => `revoke ${quote(h.role)} from ${quote(f.db_role)}${v16 ? ` granted by ${quote(h.grantor)}` : ''}`);
        return [{
          object: `user ${f.db_role} on ${f.table_name}`,
          message: classes.length === 1
            ? `${f.db_role} is in access class ${classes[0]} of ${f.table_name} but its privileges call for ${f.expected}`
            : classes.length === 0
              ? `${f.db_role} is in no access class of ${f.table_name} (it should be in ${f.expected})`
              : `${f.db_role} is in ${classes.length} access classes of ${f.table_name} (${classes.join(', ')}): their policies combine, so it sees rows it should not`,
          remedy: [...revokes, `select rowscope._refresh_user_classes('${f.id}')`].join('; '),
        }];
      });
    },
  },
  {
    name: 'disabled_user_can_login',
    level: 'error',
    rule: 'a disabled user\'s role cannot log in',
    run: async (ctx) => ctx.users.filter((u) => u.disabled && u.canLogin).map((u) => ({
      object: `role ${u.name}`,
      message: `${u.name} is a disabled rowscope user but its role can log in`,
      remedy: `alter role ${quote(u.name)} nologin`,
    })),
  },
];

interface Definer { object: string; pinned: boolean; public: boolean }

async function definers(ctx: Context): Promise<Definer[]> {
  return rows<Definer>(ctx, `
    select p.oid::regprocedure::text as object,
           exists (select from unnest(coalesce(p.proconfig, '{}')) cfg where cfg like 'search_path=%') as pinned,
           exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                   where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prosecdef and n.nspname = any ($1)
    order by 1`, [ctx.schemas]);
}

interface ApiViewState {
  object: string; data_object: string; name: string; data_schema: string; api_schema: string; secured: string[];
  is_view: boolean; invoker: boolean;
}

async function apiViews(ctx: Context): Promise<ApiViewState[]> {
  return rows<ApiViewState>(ctx, `
    select format('%I.%I', t.api_schema, t.name) as object, format('%I.%I', t.data_schema, t.name) as data_object,
           t.name, t.data_schema, t.api_schema, t.secured_columns as secured,
           coalesce(c.relkind = 'v', false) as is_view,
           coalesce(c.reloptions && array['security_invoker=true', 'security_invoker=on', 'security_invoker=1'], false) as invoker
    from rowscope.secured_table t
    left join pg_class c on c.oid = to_regclass(format('%I.%I', t.api_schema, t.name))
    order by 1`);
}

function quote(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

function lit(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export interface DoctorReport {
  ok: boolean;
  errors: number;
  warnings: number;
  checks: { name: string; level: Level; rule: string; passed: boolean }[];
  findings: Finding[];
}

/** Thrown when the database has no rowscope schema to check. */
export class NotSecured extends Error {}

export async function runDoctor(client: pg.Client): Promise<DoctorReport> {
  const { rows: ready } = await client.query<{ ok: boolean }>("select to_regclass('rowscope.secured_table') is not null as ok");
  if (!ready[0]?.ok) throw new NotSecured('this database has no rowscope schema; run `rowscope migrate` first');
  const users = await userRoles(client);
  const { rows: schemaRows } = await client.query<{ name: string }>(`
    select data_schema as name from rowscope.secured_table union select api_schema from rowscope.secured_table
    union select 'rowscope' order by 1`);
  const { rows: version } = await client.query<{ v: number }>("select current_setting('server_version_num')::int as v");
  const ctx: Context = {
    client,
    serverVersion: version[0]!.v,
    users,
    userOids: users.filter((u) => !u.superuser).map((u) => u.oid),
    schemas: schemaRows.map((r) => r.name),
  };
  const findings: Finding[] = [];
  const checks: DoctorReport['checks'] = [];
  for (const lint of LINTS) {
    const found = (await lint.run(ctx)).map((f) => ({ lint: lint.name, level: lint.level, ...f }));
    findings.push(...found);
    checks.push({ name: lint.name, level: lint.level, rule: lint.rule, passed: found.length === 0 });
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  return { ok: errors === 0, errors, warnings: findings.length - errors, checks, findings };
}
