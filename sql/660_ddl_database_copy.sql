-- Copies of a rowscope database. Every role whose membership means something
-- here carries this database's tag (sql/050: class roles, write roles, the
-- members role), and roles are cluster-wide. A copy made with CREATE DATABASE
-- … TEMPLATE (how test suites clone a prepared database), or a dump restored
-- next to its original, keeps the tag and so binds its policies and grants to
-- the same roles: a security change in one then changes what logins see in
-- the other (docs/operations.md "Copies of a database"). PostgreSQL records
-- every database's policies and grants on roles in the shared catalog
-- pg_shdepend, which tells whether another database uses this one's roles;
-- `rowscope doctor` reports it (src/cli/doctor/lints/database-copies.ts) and
-- rowscope.retag_database() gives this database roles of its own.

-- The other databases of the cluster whose policies or grants use this
-- database's tagged roles.
create function rowscope._databases_sharing_roles() returns table (database_name name)
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  -- this database's roles first, then pg_shdepend by its (refclassid,
  -- refobjid) index: a cluster with many databases has many entries
  -- (a scan of them all cost ~0.3 s a doctor run in the test suite)
  with mine as materialized (
    select array_agg(r.oid) as oids from pg_roles r
    where starts_with(r.rolname, 'rowscope_' || rowscope._database_tag() || '_')
  )
  select distinct d.datname
  from mine
  join pg_shdepend s on s.refclassid = 'pg_authid'::regclass and s.refobjid = any (mine.oids)
  join pg_database d on d.oid = s.dbid
  where d.datname <> current_database()
  order by 1
$$;

-- Draws a new tag and moves this database onto its own roles: creates them,
-- binds every policy and grant of the old roles to their new namesakes,
-- re-derives every user's class and write roles (sql/050 _refresh_classes)
-- and the session defaults (sql/076; ALTER ROLE … IN DATABASE settings belong
-- to the database's oid, so a copy starts without them). The old roles are
-- left alone: the other database uses them (also its members role, which no
-- policy or grant names, so pg_shdepend could not tell it is in use). Returns
-- the new tag. All or nothing; run by the role that runs the migrations (it
-- alters the policies of the model's tables, which needs rowscope_owner),
-- ideally right after the copy is made: a security change made in the copy
-- before it has already reached the original.
create function rowscope.retag_database() returns text
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_old text;
  v_new text;
  v_from text;
  v_to text;
  st record;
  p record;
  a record;
  v_roles text;
  v_cols text;
begin
  if not rowscope._is_deployment_admin() then
    perform rowscope._refuse(null, 'retag', 'database', current_database(),
      'only the deployment administrator (the role that runs the migrations) gives a database roles of its own');
  end if;
  -- class refreshes read the tag (rowscope._table_role); none runs with the old
  -- one while the roles move
  lock table rowscope.database_tag in access exclusive mode;
  v_old := rowscope._database_tag();
  loop
    v_new := left(md5(gen_random_uuid()::text || clock_timestamp()::text), 8);
    exit when v_new <> v_old and not exists (select from pg_roles r where starts_with(r.rolname, 'rowscope_' || v_new || '_'));
  end loop;
  update rowscope.database_tag set tag = v_new;
  v_from := 'rowscope_' || v_old || '_';
  v_to := 'rowscope_' || v_new || '_';

  perform rowscope._ensure_role(rowscope._members_role());
  for st in select t.name, t.ownership from rowscope.secured_table t order by t.name loop
    perform rowscope._ensure_table_roles(st.name, st.ownership);
  end loop;
  update rowscope.secured_table t set class_roles = rowscope._class_roles_of(t.name, t.ownership);
  -- and, once each, the namesake of any other old role this database's policies
  -- or grants name (a table the model no longer has): pg_shdepend lists them
  perform rowscope._ensure_role(v_to || substr(o.rolname, length(v_from) + 1))
  from (select distinct r.rolname from pg_shdepend s join pg_roles r on r.oid = s.refobjid
        where s.refclassid = 'pg_authid'::regclass
          and s.dbid = (select d.oid from pg_database d where d.datname = current_database())
          and starts_with(r.rolname, v_from)) o
  where to_regrole(quote_ident(v_to || substr(o.rolname, length(v_from) + 1))) is null;

  -- policies: each role of the old tag becomes its namesake of the new one
  -- (the tags have the same length, so a long table's cut name is the same)
  for p in
    select pol.polname, pol.polrelid::regclass as rel, pol.polroles
    from pg_policy pol
    where exists (select from unnest(pol.polroles) o(oid) join pg_roles r on r.oid = o.oid where starts_with(r.rolname, v_from))
  loop
    select string_agg(case when o.oid = 0 then 'public'
                           when starts_with(r.rolname, v_from) then quote_ident(v_to || substr(r.rolname, length(v_from) + 1))
                           else quote_ident(r.rolname) end, ', ')
      into v_roles
    from unnest(p.polroles) o(oid) left join pg_roles r on r.oid = o.oid;
    execute format('alter policy %I on %s to %s', p.polname, p.rel, v_roles);
  end loop;

  -- privileges on relations and their columns (the write roles', sql/600)
  for a in
    select g.*, v_to || substr(g.rolname, length(v_from) + 1) as namesake from (
      select c.oid::regclass as rel, null::name as col, x.privilege_type, x.is_grantable, r.rolname
      from pg_class c cross join aclexplode(c.relacl) x join pg_roles r on r.oid = x.grantee
      where starts_with(r.rolname, v_from)
      union all
      select t.attrelid::regclass, t.attname, x.privilege_type, x.is_grantable, r.rolname
      from pg_attribute t cross join aclexplode(t.attacl) x join pg_roles r on r.oid = x.grantee
      where t.attnum > 0 and not t.attisdropped and starts_with(r.rolname, v_from)) g
  loop
    v_cols := case when a.col is null then '' else format(' (%I)', a.col) end;
    execute format('grant %s%s on %s to %I%s', a.privilege_type, v_cols, a.rel,
                   a.namesake, case when a.is_grantable then ' with grant option' else '' end);
    execute format('revoke %s%s on %s from %I cascade', a.privilege_type, v_cols, a.rel, a.rolname);
  end loop;

  -- memberships and per-database settings as this database's security data says
  perform rowscope._refresh_all_users();
  perform rowscope._apply_session_defaults();

  return v_new;
end
$$;
