// What the GraphQL schema is built from, read once at start from the rowscope
// catalog (administrator's connection): the model's api views, the
// relationships between them, and the rowscope functions users may call.
import type pg from 'pg';
import { SECURITY_VIEW_NAMES } from './security-views.ts';

export interface ApiView {
  table: string;
  schema: string;
}

export interface ApiRelationship {
  table: string;
  schema: string;
  column: string;
  referencesTable: string;
  referencesSchema: string;
}

export interface ServerCatalog {
  views: ApiView[];
  relationships: ApiRelationship[];
  /** The security data and audit history views present (src/server/security-views.ts). */
  securityViews: ApiView[];
  /** Names of the rowscope functions exposed through GraphQL. */
  functions: string[];
}

/**
 * docs/reference.md's public API. A function is exposed when it is on this list AND the
 * database lets rowscope_user execute it: the grants decide, the list keeps
 * internal helpers (`_*`, the policies' scope_* functions, the masked-column
 * readers) out even if someone grants them by mistake. Every one of them checks
 * the caller's privileges itself (docs/reference.md), so exposing one widens nothing.
 */
export const PUBLIC_FUNCTIONS: readonly string[] = [
  'whoami', 'has_privilege', 'check_access', 'explain_access',
  'grant_access', 'modify_access', 'revoke_access', 'assign',
  'add_access_team_member', 'remove_access_team_member', 'share_field',
  'root_business_unit', 'create_business_unit', 'create_user', 'set_manager', 'move_user',
  'set_access_mode', 'disable_user', 'enable_user', 'create_team', 'add_team_member',
  'remove_team_member', 'assign_role', 'remove_role', 'create_position', 'set_position',
  'add_profile_member', 'remove_profile_member', 'verify_audit', 'purge_audit',
];

export async function readCatalog(pool: pg.Pool): Promise<ServerCatalog> {
  const views = await pool.query<ApiView>(
    `select t.name as "table", t.api_schema as schema
       from rowscope.secured_table t
      where to_regclass(format('%I.%I', t.api_schema, t.name)) is not null
      order by t.name`);
  const relationships = await pool.query<ApiRelationship>(
    `select r.table_name as "table", t.api_schema as schema, r.column_name as "column",
            r.references_table as "referencesTable", rt.api_schema as "referencesSchema"
       from rowscope.relationship r
       join rowscope.secured_table t on t.name = r.table_name
       join rowscope.secured_table rt on rt.name = r.references_table
      order by r.table_name, r.column_name`);
  const functions = await pool.query<{ name: string }>(
    `select distinct p.proname as name
       from pg_catalog.pg_proc p
      where p.pronamespace = 'rowscope'::regnamespace
        and p.proname = any ($1)
        and pg_catalog.has_function_privilege('rowscope_user', p.oid, 'execute')
      order by 1`, [PUBLIC_FUNCTIONS]);
  // Built by the migration (sql/650_ddl_security_views.sql, sql/640_ddl_audit.sql) in each api schema, owned by
  // rowscope_definer; a stray object of that name is not one of them.
  const securityViews = await pool.query<ApiView>(
    `select v.name as "table", s.api_schema as schema
       from (select distinct api_schema from rowscope.secured_table) s
       cross join unnest($1::text[]) v(name)
       join pg_catalog.pg_class c on c.relname = v.name and c.relkind = 'v'
        and c.relnamespace = to_regnamespace(s.api_schema)
        and c.relowner = (select r.oid from pg_catalog.pg_roles r where r.rolname = 'rowscope_definer')
      order by 2, 1`, [SECURITY_VIEW_NAMES]);
  return { views: views.rows, relationships: relationships.rows, securityViews: securityViews.rows, functions: functions.rows.map((r) => r.name) };
}
