// What user roles may hold on the data, api and rowscope schemas (docs/reference.md): no
// TRUNCATE, REFERENCES or TRIGGER, no ownership (an owner may drop, alter and
// skip policies), no privilege on a secured column (read through the api view,
// masked). PUBLIC and roles the users inherit or may SET ROLE to count as theirs.
import { GRANTEE, REACHES_USERS, rows, USER_REACH, type Lint } from '../context.ts';

export const PRIVILEGE_LINTS: Lint[] = [
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
        where o.owner in ${USER_REACH}
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
];
