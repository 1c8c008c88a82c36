// What a model's setup leaves in a database, as one comparable value: the
// policies, rowscope triggers and RLS flags of the app tables, the grants on
// the model's tables and their api views, the api views' definitions and comments, and the
// model's part of the catalog (by name, not by id). (A table a model change
// released keeps rowscope_owner as its owner, sql/610_ddl_table.sql _release_table, where a
// table never secured has its creator: grants are compared for the model's
// tables only.)
//
// Class and write roles carry the database's own tag (sql/050_access_classes.sql:
// rowscope_<tag>_<table>_<class>), drawn when the core is installed, so two
// databases built the same way name them differently. The database's own tag
// is written as <tag>; a role of another tag (another database's) stays as it
// is and still makes the comparison fail.
import pg from 'pg';

const QUERIES: Record<string, string> = {
  policies: `select c.relname, p.polname, p.polcmd, p.polpermissive, array(select rolname from pg_roles where oid = any (p.polroles) order by 1)::text as roles,
                    pg_get_expr(p.polqual, p.polrelid) as qual, pg_get_expr(p.polwithcheck, p.polrelid) as chk
             from pg_policy p join pg_class c on c.oid = p.polrelid where c.relnamespace = 'app'::regnamespace order by 1, 2`,
  triggers: `select c.relnamespace::regnamespace::text as ns, c.relname, pg_get_triggerdef(t.oid) as def from pg_trigger t join pg_class c on c.oid = t.tgrelid
             where not t.tgisinternal and c.relnamespace in ('app'::regnamespace, 'api'::regnamespace) order by 1, 2, 3`,
  rls: `select relname, relrowsecurity, relforcerowsecurity from pg_class where relnamespace = 'app'::regnamespace and relkind = 'r' order by 1`,
  grants: `select c.relnamespace::regnamespace::text as ns, c.relname, null::name as attname, x.grantee::regrole::text as grantee, x.privilege_type, x.is_grantable
           from pg_class c cross join lateral aclexplode(c.relacl) x
           where c.relnamespace in ('app'::regnamespace, 'api'::regnamespace) and c.relkind in ('r', 'v') and x.grantee <> 0
             and c.relname in (select name from rowscope.secured_table)
           union all
           select c.relnamespace::regnamespace::text, c.relname, a.attname, x.grantee::regrole::text, x.privilege_type, x.is_grantable
           from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           cross join lateral aclexplode(a.attacl) x
           where c.relnamespace in ('app'::regnamespace, 'api'::regnamespace) and c.relkind in ('r', 'v') and x.grantee <> 0
             and c.relname in (select name from rowscope.secured_table)
           order by 1, 2, 3, 4, 5`,
  views: `select c.relname, pg_get_viewdef(c.oid) as def from pg_class c where c.relnamespace = 'api'::regnamespace and c.relkind = 'v' order by 1`,
  // the model's descriptions (src/compile/descriptions.ts)
  comments: `select c.relname, d.objsubid, d.description from pg_description d join pg_class c on c.oid = d.objoid and d.classoid = 'pg_class'::regclass
             where c.relnamespace = 'api'::regnamespace and c.relkind = 'v' order by 1, 2`,
  settings: `select key, value from rowscope.setting order by 1`,
  tables: `select to_jsonb(t) from rowscope.secured_table t order by name`,
  relationships: `select table_name, column_name, references_table from rowscope.relationship order by 1, 2`,
  roles: `select r.name, p.table_name, p.privilege, p.depth from rowscope.security_role r
          left join rowscope.role_privilege p on p.role_id = r.id order by 1, 2, 3`,
  misc: `select r.name, m.name as misc from rowscope.role_misc_privilege m join rowscope.security_role r on r.id = m.role_id order by 1, 2`,
  profiles: `select f.name, c.table_name, c.column_name, c.can_read, c.can_create, c.can_update from rowscope.field_security_profile f
             left join rowscope.field_profile_column c on c.profile_id = f.id order by 1, 2, 3`,
  templates: `select table_name, name, rights from rowscope.access_team_template order by 1, 2`,
};

export async function fingerprint(url: string): Promise<Record<string, unknown[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const [{ tag }] = (await c.query<{ tag: string }>('select tag from rowscope.database_tag')).rows as [{ tag: string }];
    if (!/^[0-9a-f]{8}$/.test(tag)) throw new Error(`unexpected database tag ${JSON.stringify(tag)}`);
    const own = new RegExp(`rowscope_${tag}_`, 'g');
    const out: Record<string, unknown[]> = {};
    for (const [k, q] of Object.entries(QUERIES)) {
      // sorted again once normalised: the tag changed where a role name sorts
      const rows = (await c.query(q)).rows.map((r) => JSON.stringify(r).replace(own, 'rowscope_<tag>_'));
      out[k] = rows.sort().map((r) => JSON.parse(r) as unknown);
    }
    return out;
  } finally {
    await c.end();
  }
}
