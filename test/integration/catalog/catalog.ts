// What stage 2 of compilation (the sql/6xx_ddl_*.sql builders the generated
// migration calls; docs/architecture.md) leaves in the catalog, as sorted text
// lines per section: the policies, rowscope triggers and RLS flags of the data
// tables, the views of the api schema, the privileges rowscope's roles hold on
// the data and api schemas, their tables, views and columns, and the functions
// the migration generated in the rowscope schema (those a core-only database
// does not have), with their owner and privileges.
//
// Roles of this database carry its tag (sql/050_access_classes.sql:
// rowscope_<tag>_<table>_<class>), drawn when the core is installed; it is
// written as <tag>, so two databases built alike read alike. A role of another
// tag stays as it is and still tells them apart.
import type pg from 'pg';
import { lit, sql, type Sql } from '../../../src/sql/index.ts';
import { DEPLOYER_ROLE } from '../../support/deployer.ts';

export type Catalog = Record<string, string[]>;

function queries(dataSchema: string, apiSchema: string): Record<string, Sql> {
  const data = lit(dataSchema);
  const schemas = sql`array[${data}, ${lit(apiSchema)}]::text[]`;
  // rowscope's roles and PUBLIC; not the test suite's non-superuser deployer
  // (test/support/deployer.ts), who owns the schemas in that mode
  const ours = sql`(x.grantee = 0 or (pg_get_userbyid(x.grantee) like 'rowscope%' and pg_get_userbyid(x.grantee) <> ${lit(DEPLOYER_ROLE)}))`;
  const grantee = sql`case when x.grantee = 0 then 'PUBLIC' else pg_get_userbyid(x.grantee)::text end`;
  return {
    policies: sql`select tablename, policyname, permissive, roles::text, cmd, qual, with_check
                  from pg_policies where schemaname = ${data}`,
    triggers: sql`select c.relnamespace::regnamespace::text, c.relname, pg_get_triggerdef(t.oid)
                  from pg_trigger t join pg_class c on c.oid = t.tgrelid
                  where not t.tgisinternal and c.relnamespace::regnamespace::text = any (${schemas})`,
    rls: sql`select relname, relrowsecurity, relforcerowsecurity from pg_class
             where relnamespace::regnamespace::text = ${data} and relkind = 'r'`,
    views: sql`select c.relname, pg_get_userbyid(c.relowner), c.reloptions::text, pg_get_viewdef(c.oid)
               from pg_class c where c.relnamespace::regnamespace::text = ${lit(apiSchema)} and c.relkind = 'v'`,
    schema_grants: sql`select n.nspname, ${grantee}, x.privilege_type, x.is_grantable
                       from pg_namespace n cross join lateral aclexplode(n.nspacl) x
                       where n.nspname = any (${schemas}) and ${ours}`,
    table_grants: sql`select c.relnamespace::regnamespace::text, c.relname, ${grantee}, x.privilege_type, x.is_grantable
                      from pg_class c cross join lateral aclexplode(c.relacl) x
                      where c.relnamespace::regnamespace::text = any (${schemas}) and c.relkind in ('r', 'v') and ${ours}`,
    column_grants: sql`select c.relnamespace::regnamespace::text, c.relname, a.attname, ${grantee}, x.privilege_type, x.is_grantable
                       from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
                       cross join lateral aclexplode(a.attacl) x
                       where c.relnamespace::regnamespace::text = any (${schemas}) and c.relkind in ('r', 'v') and ${ours}`,
    // signature, owner, security definer, search_path and privileges; filtered to generated ones by the caller
    functions: sql`select p.oid::regprocedure::text, pg_get_function_result(p.oid), pg_get_userbyid(p.proowner), p.prosecdef,
                          p.proconfig::text, coalesce((select string_agg(format('%s:%s', ${grantee}, x.privilege_type), ',' order by 1)
                                                       from aclexplode(p.proacl) x where ${ours}), '')
                   from pg_proc p where p.pronamespace = 'rowscope'::regnamespace`,
  };
}

/** The catalog sections, normalised and sorted. */
export async function readCatalog(c: pg.Client, opts: { dataSchema: string; apiSchema: string }): Promise<Catalog> {
  const { rows: [row] } = await c.query<{ tag: string }>(sql`select tag from rowscope.database_tag`.text);
  if (!row || !/^[0-9a-f]{8}$/.test(row.tag)) throw new Error(`unexpected database tag ${JSON.stringify(row)}`);
  const own = new RegExp(`rowscope_${row.tag}_`, 'g');
  const out: Catalog = {};
  for (const [section, query] of Object.entries(queries(opts.dataSchema, opts.apiSchema))) {
    const { rows } = await c.query<unknown[]>({ text: query.text, rowMode: 'array' });
    // sorted once normalised: the tag changes where a role name sorts
    out[section] = rows.map((r) => r.map(cell).join(' | ').replace(own, 'rowscope_<tag>_')).sort();
  }
  return out;
}

// A multi-line value (a view's definition) keeps its lines, indented under its
// row, so a review shows which line of a view changed.
function cell(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  return String(v).trim().split('\n').map((l) => l.trimEnd()).join('\n    ');
}

/** Leaves out the rowscope functions a core-only database has: what remains the migration generated. */
export function withoutCoreFunctions(catalog: Catalog, core: Catalog): Catalog {
  const coreSignatures = new Set(core.functions!.map((l) => l.split(' | ')[0]));
  return { ...catalog, functions: catalog.functions!.filter((l) => !coreSignatures.has(l.split(' | ')[0])) };
}

/** One readable text: a heading per section, a line per row. */
export function render(catalog: Catalog): string {
  return Object.entries(catalog).map(([section, lines]) => `## ${section} (${lines.length})\n${lines.join('\n')}\n`).join('\n');
}
