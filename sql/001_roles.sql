-- Cluster-wide NOLOGIN roles rowscope relies on (docs/architecture.md). Roles are shared by
-- every database of the cluster, so each is created only when missing.
do $roles$
declare
  r record;
begin
  for r in
    select * from (values
      ('rowscope_owner',     'nologin nobypassrls noinherit'),   -- owns data tables and api views
      ('rowscope_definer',   'nologin nobypassrls noinherit createrole'), -- owns security-definer helpers
      ('rowscope_user',      'nologin nobypassrls'),             -- every rowscope user's login is a member
      ('rowscope_admin',     'nologin nobypassrls noinherit'),   -- deployment administrators that are not superusers
      ('rowscope_plan_bump', 'nologin nobypassrls noinherit'),   -- granted/revoked to invalidate cached plans
      ('rowscope_authenticator', 'login nobypassrls noinherit'), -- the GraphQL server's login
      -- Placeholders the generated policies are created TO: the per-database
      -- class roles' names are known only in the database (sql/050), so
      -- rowscope._bind_table_roles (sql/600_ddl_table_roles.sql) re-binds each policy in the same migration.
      -- They never have members.
      ('rowscope_class_org',         'nologin nobypassrls noinherit'),
      ('rowscope_class_bu',          'nologin nobypassrls noinherit'),
      ('rowscope_class_bu_shared',   'nologin nobypassrls noinherit'),
      ('rowscope_class_user',        'nologin nobypassrls noinherit'),
      ('rowscope_class_user_shared', 'nologin nobypassrls noinherit')
    ) as v(name, options)
  loop
    if not exists (select from pg_catalog.pg_roles where rolname = r.name) then
      begin
        execute format('create role %I %s', r.name, r.options);
      exception when duplicate_object or unique_violation then
        null; -- another database of the cluster created it at the same moment
      end;
    end if;
  end loop;
end
$roles$;

-- The definer creates user logins and must be able to hand out rowscope_user.
-- Role grants are cluster-wide catalog rows: two databases (or a test suite's
-- parallel template builds) migrating at once may both insert the same
-- membership (unique_violation) or update one row (XX000 "tuple concurrently
-- updated"); the one that loses finds the grant made and goes on.
do $definer$
begin
  grant rowscope_user to rowscope_definer with admin option;
exception when unique_violation or sqlstate 'XX000' then
  if not exists (select from pg_auth_members m
                 where m.roleid = 'rowscope_user'::regrole and m.member = 'rowscope_definer'::regrole and m.admin_option) then
    raise;
  end if;
end
$definer$;
-- A deployment administrator that is no superuser (a member of rowscope_admin,
-- docs/operations.md "Managed PostgreSQL") needs what every user has -- USAGE
-- on the rowscope, api and data schemas, EXECUTE on the public functions,
-- the api views -- to call the admin functions at all; it is no rowscope
-- user (sql/030_identity.sql _is_deployment_admin), and its own policy and
-- table grants (sql/610_ddl_table.sql) make it unrestricted on the data.
-- rowscope_admin is NOINHERIT: the grant itself inherits (16+), on 15 the role.
-- Only when missing: roles are cluster-wide, and two databases migrating at
-- once would otherwise update the same catalog row ("tuple concurrently updated").
do $admin$
begin
  if current_setting('server_version_num')::int < 160000
     and not (select rolinherit from pg_roles where rolname = 'rowscope_admin') then
    execute 'alter role rowscope_admin inherit';
  end if;
  if not exists (select from pg_auth_members m
                 where m.roleid = 'rowscope_user'::regrole and m.member = 'rowscope_admin'::regrole
                   and coalesce((to_jsonb(m) ->> 'inherit_option')::boolean, true)) then
    begin
      if current_setting('server_version_num')::int >= 160000 then
        execute 'grant rowscope_user to rowscope_admin with inherit true';
      else
        execute 'grant rowscope_user to rowscope_admin';
      end if;
    exception when unique_violation or sqlstate 'XX000' then
      null; -- granted by another database's migration at the same moment
    end;
  end if;
end
$admin$;
-- Whoever runs the migrations may act for rowscope_owner (to alter secured tables)
-- and for rowscope_definer (to create its functions).
do $deployer$
declare
  r text;
begin
  foreach r in array array['rowscope_owner', 'rowscope_definer'] loop
    begin
      execute format('grant %I to current_user', r);
    exception when unique_violation or sqlstate 'XX000' then
      -- the same deployer migrating another database at the same moment
      if not pg_has_role(current_user, r, 'member') then
        raise;
      end if;
    end;
  end loop;
end
$deployer$;
