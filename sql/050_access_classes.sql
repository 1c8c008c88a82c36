-- Access classes (DESIGN §3-4): per model table, each user's login is a member of
-- exactly one NOLOGIN class role, derived from their read scope. The read
-- policies are bound TO these roles so that the planner sees, at plan time, the
-- predicate shape of that user's class (an org reader's filter is `true`).
-- Every change to security data re-derives the classes of the users it touches
-- (statement triggers below) and invalidates the table's cached plans.

create function rowscope._read_class(p_user uuid, p_table text) returns text
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table;
  shared text := '';
begin
  select * into st from rowscope.secured_table where name = p_table;
  if not found or p_user is null or not rowscope._mode_allows(p_user, p_table, 'read') then
    return 'none';
  end if;
  if rowscope._scope_org(p_user, p_table, 'read') then
    return 'org';
  end if;
  if st.ownership = 'organization' then
    return 'none';
  end if;
  if cardinality(rowscope._scope_records(p_user, p_table, 'read')) > 0 then
    shared := '_shared';
  end if;
  if cardinality(rowscope._scope_bus(p_user, p_table, 'read')) > 0 then
    return 'bu' || shared;
  end if;
  if cardinality(rowscope._scope_owners(p_user, p_table, 'read')) > 0 then
    return 'user' || shared;
  end if;
  return 'none';
end
$$;

-- Makes a cached plan of every session re-plan on its next execution: before
-- PostgreSQL 18.6/17.11/16.15/15.19 a prepared statement keeps its RLS plan when
-- only the user's role memberships changed (CVE-2026-14666). An ACL change on
-- the table invalidates it, under a weak lock (DESIGN §3).
create function rowscope._invalidate_plans(p_table text) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table;
begin
  select * into st from rowscope.secured_table where name = p_table;
  if found then
    execute format('grant select on %I.%I to rowscope_plan_bump', st.data_schema, st.name);
    execute format('revoke select on %I.%I from rowscope_plan_bump', st.data_schema, st.name);
  end if;
end
$$;

-- Direct membership, by oid: two index probes (joining pg_roles by name made
-- every class refresh scan all roles, and loading 6,000 users quadratic).
create function rowscope._is_member(p_member name, p_role text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (
    select from pg_auth_members m
    where m.roleid = to_regrole(quote_ident(p_role)) and m.member = to_regrole(quote_ident(p_member)))
$$;

-- Grants a class (or rowscope_user) membership without the right to SET ROLE to
-- it where PostgreSQL supports that (16+).
create function rowscope._grant_membership(p_role text, p_member name) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if current_setting('server_version_num')::int >= 160000 then
    execute format('grant %I to %I with inherit true, set false', p_role, p_member);
  else
    execute format('grant %I to %I', p_role, p_member);
  end if;
end
$$;

-- PostgreSQL 16+ locks a role (ShareUpdateExclusiveLock, until commit) when
-- granting or revoking its membership. Two transactions moving users between the
-- same class roles in different orders would deadlock, so every change of class
-- memberships first takes one common lock: a redundant grant of rowscope_user
-- (all users are members). The lock is cluster-wide, as the roles are.
create function rowscope._lock_role_changes(p_member name) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp set client_min_messages = warning as $$
begin
  perform rowscope._grant_membership('rowscope_user', p_member);
end
$$;

-- Whether a user-depth reader's owners (itself, its owner teams, its reports
-- and theirs) are under 1% of all possible owners: then its rows are few and
-- best fetched by owner. Refreshed with the classes, also when the hierarchy
-- below the user changes (sql/035).
create function rowscope._owners_are_few(p_user uuid, p_table text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select cardinality(rowscope._scope_owners(p_user, p_table, 'read')) * 100
         < (select count(*) from rowscope.system_user) + (select count(*) from rowscope.team where team_type = 'owner')
$$;

-- Per-class planner settings (DESIGN §4): a login reading some table at user
-- depth plans with effective_cache_size = 64MB (else its ordered pages walk the
-- modified_on index and filter the few rows it may see) -- unless the owners it
-- reaches are many (a manager: rowscope._owners_are_few), where that walk is
-- the faster plan (bench, scale 1: a manager of 50 reads 2.3% of the rows; its
-- first page took 20 ms with the setting, 8 ms without). Settings on a login
-- apply when it logs in (not after SET ROLE: the GraphQL server sets it per
-- request), in this database only. Changed only when it differs; a role the
-- definer may not alter (mapped by a non-superuser) keeps its settings.
create function rowscope._set_class_settings(p_role name, p_user_depth boolean) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_has boolean;
begin
  select exists (
    select from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
    join pg_database d on d.oid = s.setdatabase and d.datname = current_database()
    where r.rolname = p_role and 'effective_cache_size=64MB' = any (s.setconfig)) into v_has;
  if v_has = p_user_depth then
    return;
  end if;
  begin
    if p_user_depth then
      execute format('alter role %I in database %I set effective_cache_size = %L', p_role, current_database(), '64MB');
    else
      execute format('alter role %I in database %I reset effective_cache_size', p_role, current_database());
    end if;
  exception when insufficient_privilege then
    null;
  end;
end
$$;

-- Puts the user in exactly the class their access sets call for, on every model
-- table; revokes every other class of that table (also ones left by another
-- database of the cluster: roles are cluster-wide).
create function rowscope._refresh_user_classes(p_user uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_role name;
  st rowscope.secured_table;
  v_target text;
  c record;
  v_changed boolean;
  v_user_depth boolean := false;
begin
  select db_role into v_role from rowscope.system_user where id = p_user;
  if v_role is null or to_regrole(quote_ident(v_role)) is null then
    return;
  end if;
  for st in select * from rowscope.secured_table order by name loop
    v_target := st.class_roles ->> rowscope._read_class(p_user, st.name);
    v_changed := false;
    for c in select key, value from jsonb_each_text(st.class_roles) loop
      if c.value = v_target and not rowscope._is_member(v_role, c.value) then
        perform rowscope._lock_role_changes(v_role);
        perform rowscope._grant_membership(c.value, v_role);
        v_changed := true;
      elsif c.value is distinct from v_target and rowscope._is_member(v_role, c.value) then
        perform rowscope._lock_role_changes(v_role);
        execute format('revoke %I from %I', c.value, v_role);
        v_changed := true;
      end if;
    end loop;
    if v_changed then
      perform rowscope._invalidate_plans(st.name);
    end if;
    v_user_depth := v_user_depth
      or (coalesce(v_target in (st.class_roles ->> 'user', st.class_roles ->> 'user_shared'), false)
          and rowscope._owners_are_few(p_user, st.name));
  end loop;
  perform rowscope._set_class_settings(v_role, v_user_depth);
end
$$;

-- Users and teams → the users whose classes may have changed.
create function rowscope._refresh_principals(p_principals uuid[]) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid;
begin
  -- the users named, the members of the teams named, and (hierarchy) everyone above them
  for v_user in
    select unnest(rowscope._hierarchy_superiors(array(
      select u.id from rowscope.system_user u where u.id = any (p_principals)
      union
      select m.user_id from rowscope.team_member m where m.team_id = any (p_principals))))
  loop
    perform rowscope._refresh_user_classes(v_user);
  end loop;
end
$$;

create function rowscope._refresh_all_users() returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid;
begin
  for v_user in select id from rowscope.system_user order by id loop
    perform rowscope._refresh_user_classes(v_user);
  end loop;
end
$$;

-- Statement triggers with transition tables: one refresh per affected principal,
-- whichever path changed the security data (admin function or direct SQL).
create function rowscope._tg_refresh_from_principals() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_ids uuid[];
  v_column text := tg_argv[0];
begin
  if tg_op in ('UPDATE', 'DELETE') then
    execute format('select array_agg(%I) from old_rows', v_column) into v_ids;
  end if;
  if tg_op in ('UPDATE', 'INSERT') then
    execute format('select coalesce($1, ''{}'') || array_agg(%I) from new_rows', v_column) into v_ids using v_ids;
  end if;
  perform rowscope._refresh_principals(v_ids);
  return null;
end
$$;

create trigger role_assignment_insert_refresh after insert on rowscope.role_assignment
  referencing new table as new_rows for each statement execute function rowscope._tg_refresh_from_principals('principal_id');
create trigger role_assignment_update_refresh after update on rowscope.role_assignment
  referencing old table as old_rows new table as new_rows for each statement execute function rowscope._tg_refresh_from_principals('principal_id');
create trigger role_assignment_delete_refresh after delete on rowscope.role_assignment
  referencing old table as old_rows for each statement execute function rowscope._tg_refresh_from_principals('principal_id');

create trigger team_member_insert_refresh after insert on rowscope.team_member
  referencing new table as new_rows for each statement execute function rowscope._tg_refresh_from_principals('user_id');
create trigger team_member_delete_refresh after delete on rowscope.team_member
  referencing old table as old_rows for each statement execute function rowscope._tg_refresh_from_principals('user_id');

create trigger system_user_update_refresh after update on rowscope.system_user
  referencing old table as old_rows new table as new_rows for each statement execute function rowscope._tg_refresh_from_principals('id');

create trigger team_update_refresh after update on rowscope.team
  referencing old table as old_rows new table as new_rows for each statement execute function rowscope._tg_refresh_from_principals('id');

create trigger record_share_insert_refresh after insert on rowscope.record_share
  referencing new table as new_rows for each statement execute function rowscope._tg_refresh_from_principals('principal_id');
create trigger record_share_update_refresh after update on rowscope.record_share
  referencing old table as old_rows new table as new_rows for each statement execute function rowscope._tg_refresh_from_principals('principal_id');
create trigger record_share_delete_refresh after delete on rowscope.record_share
  referencing old table as old_rows for each statement execute function rowscope._tg_refresh_from_principals('principal_id');

-- A role's privileges changed (model migration or direct SQL): everyone may move.
create function rowscope._tg_refresh_all() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  -- a model migration syncs many privileges and refreshes once at its end
  if coalesce(current_setting('rowscope.defer_refresh', true), '') <> 'on' then
    perform rowscope._refresh_all_users();
  end if;
  return null;
end
$$;
create trigger role_privilege_refresh after insert or update or delete on rowscope.role_privilege
  for each statement execute function rowscope._tg_refresh_all();
create trigger business_unit_refresh after update of parent_id or delete on rowscope.business_unit
  for each statement execute function rowscope._tg_refresh_all();
