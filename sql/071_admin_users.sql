-- System users (SPEC §4): each is mapped 1:1 to a LOGIN role. Guarded by
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

create function rowscope._require_user_admin(p_privilege text, p_user uuid) returns rowscope.system_user
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  u rowscope.system_user := rowscope._user_row(p_user, 'user_id');
begin
  perform rowscope._require_admin('system_user', p_privilege, 'user ' || u.db_role, u.id, u.business_unit_id);
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

-- The definer part of create_user: checks, creates the LOGIN role when missing,
-- records the user.
create function rowscope._create_user(p_db_role text, p_business_unit uuid, p_manager uuid, p_access_mode text) returns uuid
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_id uuid;
  r pg_roles;
begin
  if p_db_role is null or p_db_role !~ '^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$' or p_db_role ~* '^(pg_|rowscope_)' then
    perform rowscope._bad_argument(format('db_role: %L is not a usable role name (letters, digits, _ . @ -; not pg_* or rowscope_*)', p_db_role));
  end if;
  if not exists (select from rowscope.business_unit where id = p_business_unit) then
    perform rowscope._bad_argument(format('business_unit_id: no such business unit %s', coalesce(p_business_unit::text, 'null')));
  end if;
  perform rowscope._check_access_mode(p_access_mode);
  perform rowscope._require_admin('system_user', 'create', 'user ' || p_db_role, null, p_business_unit);
  if p_manager is not null then
    perform rowscope._user_row(p_manager, 'manager_id');
  end if;
  if exists (select from rowscope.system_user where db_role = p_db_role) then
    perform rowscope._bad_argument(format('db_role: %s is a rowscope user already', p_db_role));
  end if;
  select * into r from pg_roles where rolname = p_db_role;
  if found then
    -- mapping an existing role: only the deployment administrator, and never a
    -- privileged one (it would stop being what it is, and rowscope_authenticator
    -- could then switch to it)
    if not rowscope._is_deployment_admin() then
      perform rowscope._refuse(rowscope._current_user_id(), 'create', 'system_user', 'user ' || p_db_role,
        format('role %s exists already; only the deployment administrator maps an existing role to a rowscope user', p_db_role));
    end if;
    if r.rolsuper or r.rolbypassrls or r.rolcreaterole or r.rolcreatedb
       or exists (select from pg_auth_members m join pg_roles g on g.oid = m.roleid
                  where m.member = r.oid
                    and g.rolname in ('rowscope_admin', 'rowscope_owner', 'rowscope_definer', 'rowscope_authenticator'))
       or r.rolname in ('rowscope_admin', 'rowscope_owner', 'rowscope_definer', 'rowscope_authenticator', 'rowscope_user') then
      perform rowscope._bad_argument(format('db_role: role %s is privileged (SUPERUSER, BYPASSRLS, CREATEROLE, CREATEDB or a member of a rowscope system role); a rowscope user must be a plain login', p_db_role));
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
  if exists (select from pg_roles where rolname = current_user and rolsuper)
     and exists (select from pg_roles where rolname = create_user.db_role and not rolsuper)
     and current_setting('server_version_num')::int >= 160000 then
    execute format('grant %I to rowscope_definer with admin option, inherit false, set false', create_user.db_role);
  end if;
  return rowscope._create_user(create_user.db_role, create_user.business_unit_id, create_user.manager_id, create_user.access_mode);
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
  execute format('alter role %I nologin', u.db_role);
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

create function rowscope.move_user(user_id uuid, business_unit_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  u rowscope.system_user := rowscope._require_user_admin('write', user_id);
begin
  if not exists (select from rowscope.business_unit b where b.id = move_user.business_unit_id) then
    perform rowscope._bad_argument(format('business_unit_id: no such business unit %s', coalesce(business_unit_id::text, 'null')));
  end if;
  -- the admin's scope must cover the destination too
  perform rowscope._require_admin('system_user', 'write', 'user ' || u.db_role, null, business_unit_id);
  update rowscope.system_user s set business_unit_id = move_user.business_unit_id where s.id = u.id;
  perform rowscope._move_owned_records(u.id, move_user.business_unit_id);
end
$$;

create function rowscope.set_manager(user_id uuid, manager_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  u rowscope.system_user := rowscope._require_user_admin('write', user_id);
begin
  if manager_id is not null then
    perform rowscope._user_row(manager_id, 'manager_id');
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
