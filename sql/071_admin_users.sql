-- System users (docs/reference.md): each is mapped 1:1 to a LOGIN role. Guarded by
-- privileges on the built-in table system_user; the object's "owner" is the user
-- itself (user depth covers oneself) and its BU is the user's BU.

create function rowscope._user_row(p_user uuid, p_argument text) returns rowscope.system_user
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  u rowscope.system_user;
begin
  select * into u from rowscope.system_user where id = p_user;
  if not found then
    perform rowscope._bad_argument(format('%s: no such user %s', p_argument, coalesce(p_user::text, 'null')));
  end if;
  return u;
end
$$;

-- The caller needs p_privilege on system_user with a scope covering the user.
-- A refusal names the user's login only when the caller may read that user;
-- otherwise it gives the id and no owner or BU (check_access for another user
-- once named their login: issue 14, F12).
create function rowscope._require_user_admin(p_privilege text, p_user uuid, p_argument text default 'user_id')
returns rowscope.system_user
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  u rowscope.system_user := rowscope._user_row(p_user, p_argument);
  v_me uuid;
begin
  if rowscope._is_deployment_admin() then
    return u;
  end if;
  v_me := rowscope._current_user_id();
  if v_me is null or not rowscope._has_right(v_me, 'system_user', p_privilege, null, u.id, u.business_unit_id) then
    if v_me is not null and rowscope._has_right(v_me, 'system_user', 'read', null, u.id, u.business_unit_id) then
      perform rowscope._refuse(v_me, p_privilege, 'system_user', 'user ' || u.db_role,
                               rowscope._missing_reason(v_me, 'system_user', p_privilege, u.id, u.business_unit_id));
    end if;
    perform rowscope._refuse(v_me, p_privilege, 'system_user', 'user ' || u.id,
                             rowscope._missing_reason(v_me, 'system_user', p_privilege, null, null));
  end if;
  return u;
end
$$;

create function rowscope._check_access_mode(p_mode text) returns void
language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
begin
  if p_mode is null or p_mode not in ('read_write', 'administrative', 'read', 'non_interactive') then
    perform rowscope._bad_argument(format('access_mode: %L is not one of read_write, administrative, read, non_interactive', p_mode));
  end if;
end
$$;

-- Why an existing role must not become a rowscope user (null: it may). Mapping
-- grants the role to rowscope_authenticator, which may then SET ROLE to it, so
-- a role holding anything beyond a plain login would hand that to the GraphQL
-- server's login (issue 14, F10: a member of pg_execute_server_program). Refused:
-- role attributes that bypass or manage security; privileges granted to the
-- role itself or policies naming it; members (they would act as the user);
-- owned objects, cluster-wide (pg_shdepend covers every database)
-- and in this database's catalogs; membership of any role other than
-- rowscope's own: rowscope_user and the access-class roles of any rowscope
-- database (names rowscope_* / rs_*; NOLOGIN, no attributes, members of
-- nothing, owning nothing) -- never the deployment roles (owner, definer,
-- admin, authenticator). Members
-- that are the definer or the authenticator are rowscope's own: create_user
-- itself grants the role to them.
create function rowscope._unmappable_reason(p_role oid) returns text
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  r pg_roles;
  v_names text;
  v_deployment constant text := '(owner|definer|admin|authenticator|plan_bump)$';
begin
  select * into r from pg_roles where oid = p_role;
  if r.rolsuper then
    return 'is a SUPERUSER';
  elsif r.rolcreaterole then
    return 'has CREATEROLE';
  elsif r.rolcreatedb then
    return 'has CREATEDB';
  elsif r.rolreplication then
    return 'has REPLICATION';
  elsif r.rolbypassrls then
    return 'has BYPASSRLS';
  elsif r.rolname ~* '^(pg_|rowscope_)' then
    return 'is a role of PostgreSQL or rowscope';
  elsif exists (select from pg_shdepend d where d.refclassid = 'pg_authid'::regclass and d.refobjid = r.oid and d.deptype in ('a', 'r')) then
    -- e.g. an access-class role of some rowscope database (its read policies are bound to it)
    return 'holds privileges on objects or is named in row-level security policies';
  end if;
  select string_agg(quote_ident(g.rolname), ', ' order by g.rolname) into v_names
    from pg_auth_members m join pg_roles g on g.oid = m.roleid
   where m.member = r.oid
     and not (g.rolname = 'rowscope_user'
              or (g.rolname ~ '^(rowscope|rs)_' and g.rolname !~ v_deployment
                  and not g.rolcanlogin and not g.rolsuper and not g.rolcreaterole and not g.rolcreatedb
                  and not g.rolreplication and not g.rolbypassrls
                  and not exists (select from pg_auth_members gm where gm.member = g.oid)
                  and not exists (select from pg_shdepend d where d.refclassid = 'pg_authid'::regclass
                                  and d.refobjid = g.oid and d.deptype = 'o')));
  if v_names is not null then
    return 'is a member of ' || v_names;
  end if;
  select string_agg(quote_ident(g.rolname), ', ' order by g.rolname) into v_names
    from pg_auth_members m join pg_roles g on g.oid = m.member
   where m.roleid = r.oid and g.rolname not in ('rowscope_definer', 'rowscope_authenticator');
  if v_names is not null then
    return 'has members (' || v_names || ')';
  end if;
  if exists (select from pg_shdepend d where d.refclassid = 'pg_authid'::regclass and d.refobjid = r.oid and d.deptype = 'o')
     or exists (select from pg_database where datdba = r.oid)
     or exists (select from pg_class where relowner = r.oid)
     or exists (select from pg_proc where proowner = r.oid)
     or exists (select from pg_namespace where nspowner = r.oid)
     or exists (select from pg_type where typowner = r.oid) then
    return 'owns objects (drop them or REASSIGN OWNED first)';
  end if;
  return null;
end
$$;

-- The definer part of create_user: checks, creates the LOGIN role when missing,
-- records the user.
create function rowscope._create_user(p_db_role text, p_business_unit uuid, p_manager uuid, p_access_mode text) returns uuid
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_id uuid;
  r pg_roles;
  v_reason text;
begin
  if p_db_role is null or p_db_role !~ '^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$' or p_db_role ~* '^(pg_|rowscope_)' then
    perform rowscope._bad_argument(format('db_role: %L is not a usable role name (letters, digits, _ . @ -; not pg_* or rowscope_*)', p_db_role));
  end if;
  perform rowscope._check_business_unit(p_business_unit, 'business_unit_id');
  perform rowscope._check_access_mode(p_access_mode);
  perform rowscope._require_admin('system_user', 'create', 'user ' || p_db_role, null, p_business_unit);
  if p_manager is not null then
    -- as set_manager: the manager gains hierarchy access to the new user
    perform rowscope._require_user_admin('write', p_manager, 'manager_id');
  end if;
  if exists (select from rowscope.system_user where db_role = p_db_role) then
    perform rowscope._bad_argument(format('db_role: %s is a rowscope user already', p_db_role));
  end if;
  -- the BU's default team gives its roles and profiles to the new user (sql/074)
  perform rowscope._require_default_team_grant(p_business_unit);
  select * into r from pg_roles where rolname = p_db_role;
  if found then
    -- mapping an existing role: only the deployment administrator, and never a
    -- privileged one (it would stop being what it is, and rowscope_authenticator
    -- could then switch to it)
    if not rowscope._is_deployment_admin() then
      perform rowscope._refuse(rowscope._current_user_id(), 'create', 'system_user', 'user ' || p_db_role,
        format('role %s exists already; only the deployment administrator maps an existing role to a rowscope user', p_db_role));
    end if;
    v_reason := rowscope._unmappable_reason(r.oid);
    if v_reason is not null then
      perform rowscope._refuse(rowscope._current_user_id(), 'create', 'system_user', 'user ' || p_db_role,
        format('role %s %s; only a plain login that holds nothing else becomes a rowscope user', p_db_role, v_reason));
    end if;
  else
    execute format('create role %I login nosuperuser nobypassrls nocreatedb nocreaterole', p_db_role);
  end if;
  perform rowscope._grant_membership('rowscope_user', p_db_role::name);
  -- never inherited (the server SETs ROLE per request): explicit on PostgreSQL
  -- 16+, where a grant otherwise copies the grantee's INHERIT attribute of the
  -- moment, and doctor's authenticator_inherit lint would find it
  if current_setting('server_version_num')::int >= 160000 then
    execute format('grant %I to rowscope_authenticator with inherit false', p_db_role);
  else
    execute format('grant %I to rowscope_authenticator', p_db_role);
  end if;
  insert into rowscope.principal (kind) values ('user') returning id into v_id;
  insert into rowscope.system_user (id, db_role, business_unit_id, manager_id, access_mode)
    values (v_id, p_db_role, p_business_unit, p_manager, p_access_mode);
  perform rowscope._join_default_team(v_id, null, p_business_unit);
  perform rowscope._refresh_user_classes(v_id);
  perform rowscope._apply_session_defaults(p_db_role::name); -- sql/076_session_defaults.sql
  return v_id;
end
$$;

-- Security invoker on purpose: when a superuser maps an existing role that the
-- definer did not create, PostgreSQL 16+ requires the definer to hold ADMIN on
-- it; only the superuser can hand that over, so this wrapper does it as the caller.
create function rowscope.create_user(db_role text, business_unit_id uuid, manager_id uuid default null,
                                     access_mode text default 'read_write') returns uuid
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  -- Logins and their memberships are cluster-wide catalog rows: a create_user
  -- in another database of the cluster at the same moment (the test suite
  -- does this all the time) was once chosen as a deadlock victim (40P01). The
  -- call is all-or-nothing, so it is retried from its own savepoint, twice,
  -- before the error reaches the caller.
  for v_attempt in 1..3 loop
    begin
      if exists (select from pg_roles where rolname = current_user and rolsuper)
         and exists (select from pg_roles where rolname = create_user.db_role and not rolsuper)
         and current_setting('server_version_num')::int >= 160000 then
        execute format('grant %I to rowscope_definer with admin option, inherit false, set false', create_user.db_role);
      end if;
      return rowscope._create_user(create_user.db_role, create_user.business_unit_id, create_user.manager_id, create_user.access_mode);
    exception when deadlock_detected then
      if v_attempt = 3 then
        raise;
      end if;
      perform pg_sleep(0.05 * v_attempt);
    end;
  end loop;
end
$$;

create function rowscope.set_access_mode(user_id uuid, access_mode text) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
begin
  perform rowscope._check_access_mode(access_mode);
  perform rowscope._require_user_admin('write', user_id);
  update rowscope.system_user u set access_mode = set_access_mode.access_mode where u.id = set_access_mode.user_id;
end
$$;

create function rowscope.disable_user(user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  u rowscope.system_user := rowscope._require_user_admin('write', user_id);
begin
  update rowscope.system_user s set is_disabled = true where s.id = u.id;
  -- a login that is a rowscope user of another database of the cluster too keeps
  -- LOGIN for it; here it is in no class and no write role any more (the refresh
  -- above), so it sees and changes nothing (sql/050 _user_elsewhere)
  if not rowscope._user_elsewhere(u.db_role) then
    execute format('alter role %I nologin', u.db_role);
  end if;
end
$$;

create function rowscope.enable_user(user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  u rowscope.system_user := rowscope._require_user_admin('write', user_id);
begin
  update rowscope.system_user s set is_disabled = false where s.id = u.id;
  execute format('alter role %I login', u.db_role);
end
$$;

-- Moving a user takes their records along and moves them from the old BU's
-- default team to the new one's; their own role assignments go (all of them;
-- roles held through teams stay), as in Dataverse, unless the model option
-- keepRolesOnBusinessUnitChange keeps them (they then apply in the new BU).
-- The caller needs write on system_user covering the user where they are and
-- in the new BU, and what giving the new default team's roles and profiles
-- needs (sql/074).
create function rowscope.move_user(user_id uuid, business_unit_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  u rowscope.system_user := rowscope._require_user_admin('write', user_id);
begin
  perform rowscope._check_business_unit(move_user.business_unit_id, 'business_unit_id');
  -- the admin's scope must cover the destination too
  perform rowscope._require_admin('system_user', 'write', 'user ' || u.db_role, null, business_unit_id);
  if u.business_unit_id = move_user.business_unit_id then
    return;
  end if;
  perform rowscope._require_default_team_grant(move_user.business_unit_id);
  update rowscope.system_user s set business_unit_id = move_user.business_unit_id where s.id = u.id;
  perform rowscope._join_default_team(u.id, u.business_unit_id, move_user.business_unit_id);
  if not rowscope._setting_bool('keepRolesOnBusinessUnitChange', false) then
    delete from rowscope.role_assignment a where a.principal_id = u.id;
  end if;
  perform rowscope._move_owned_records(u.id, move_user.business_unit_id);
end
$$;

-- Making M the manager of U gives M hierarchy access to U's records and
-- changes what M's own managers reach, so the caller needs write on
-- system_user covering both U and M (issue 14).
create function rowscope.set_manager(user_id uuid, manager_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  u rowscope.system_user := rowscope._require_user_admin('write', user_id);
begin
  if manager_id is not null then
    perform rowscope._require_user_admin('write', manager_id, 'manager_id');
    if exists (
      with recursive chain (id, path) as (
        select m.id, array[m.id] from rowscope.system_user m where m.id = set_manager.manager_id
        union all
        select s.manager_id, c.path || s.manager_id from chain c join rowscope.system_user s on s.id = c.id
        where s.manager_id is not null and not s.manager_id = any (c.path)
      )
      select from chain where id = u.id
    ) then
      perform rowscope._bad_argument(format('manager_id: %s reports to %s already; that would make a cycle',
                                            rowscope._principal_label(manager_id), u.db_role));
    end if;
  end if;
  update rowscope.system_user s set manager_id = set_manager.manager_id where s.id = u.id;
end
$$;

create function rowscope.whoami() returns uuid
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._current_user_id()
$$;
