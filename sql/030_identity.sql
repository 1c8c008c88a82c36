-- Who is acting. Inside a security-definer function current_user is the
-- definer, so the acting role is read from the `role` setting (set by SET ROLE
-- or set_config('role', ..., true)) and else the login. Neither can be spoofed:
-- PostgreSQL only lets a session take a role it is a member of.

create function rowscope._identity() returns name
language sql stable set search_path = pg_catalog, pg_temp as $$
  select coalesce(nullif(current_setting('role'), 'none'), session_user)::name
$$;

-- The acting rowscope user's id, or null when the role is no rowscope user.
create function rowscope._current_user_id() returns uuid
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select id from rowscope.system_user where db_role = rowscope._identity()
$$;

-- The deployment administrator: a superuser, the owner of this database (the
-- role that ran the migrations where it is no superuser, as on managed
-- PostgreSQL: docs/operations.md; PostgreSQL 15 gives it no membership of the
-- roles it creates), or a role made a member of rowscope_admin.
-- It is unrestricted in the admin functions and is no rowscope user.
create function rowscope._is_deployment_admin() returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (
    select from pg_roles r
    where r.rolname = rowscope._identity()
      and not exists (select from rowscope.system_user u where u.db_role = r.rolname)
      and (r.rolsuper
        or r.oid = (select datdba from pg_database where datname = current_database())
        or exists (
        select from pg_auth_members m join pg_roles a on a.oid = m.roleid
        where a.rolname = 'rowscope_admin' and m.member = r.oid))
  )
$$;

-- A person-readable name for a principal in messages.
create function rowscope._principal_label(p_id uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(
    (select u.db_role::text from rowscope.system_user u where u.id = p_id),
    (select 'team ' || t.name from rowscope.team t where t.id = p_id),
    coalesce(p_id::text, 'nobody'))
$$;

create function rowscope._bu_label(p_id uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce((select name from rowscope.business_unit where id = p_id), coalesce(p_id::text, 'no business unit'))
$$;

create function rowscope._depth_name(p_depth smallint) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select (array['none', 'user', 'business_unit', 'parent_child', 'organization'])[p_depth + 1]
$$;

create function rowscope._depth_rank(p_depth text) returns smallint
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select (array_position(array['none', 'user', 'business_unit', 'parent_child', 'organization'], p_depth) - 1)::smallint
$$;

create function rowscope._setting_value(p_key text) returns jsonb
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select value from rowscope.setting where key = p_key
$$;

create function rowscope._setting_bool(p_key text, p_default boolean) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce((select (value #>> '{}')::boolean from rowscope.setting where key = p_key), p_default)
$$;

-- Security data tables that roles may hold privileges on (docs/security-model.md, "Security data is guarded too").
create function rowscope._builtin_tables() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select array['business_unit', 'system_user', 'team', 'security_role', 'field_security_profile']
$$;
