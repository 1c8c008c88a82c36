-- Access classes (docs/architecture.md): per model table, each user's login is a member of
-- exactly one NOLOGIN class role, derived from their read scope. The read
-- policies are bound TO these roles so that the planner sees, at plan time, the
-- predicate shape of that user's class (an org reader's filter is `true`).
-- Every change to security data re-derives the classes of the users it touches
-- (statement triggers below) and invalidates the table's cached plans.
--
-- Roles are cluster-wide, memberships too: a class role shared by two rowscope
-- databases of one cluster would let one database's security data decide what a
-- login sees in the other. So every role whose membership means something here
-- carries this database's tag in its name (one database, one organization;
-- test/integration/adversarial/two-databases.test.ts): rowscope_<tag>_<table>_<class>, the per-table write roles
-- rowscope_<tag>_<table>_update / _delete, and rowscope_<tag>_members (every
-- rowscope user of this database). The tag is drawn when the core schema is
-- installed and kept in its own table (rowscope.setting is rewritten by every
-- model migration). The `rowscope_` prefix keeps create_user from mapping them.

create table rowscope.database_tag (
  singleton boolean primary key default true check (singleton),
  tag text not null check (tag ~ '^[0-9a-f]{8}$')
);
insert into rowscope.database_tag (tag) values (left(md5(gen_random_uuid()::text || clock_timestamp()::text), 8));

create function rowscope._database_tag() returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select tag from rowscope.database_tag
$$;

-- rowscope_<tag>_<table>_<kind>, at most 63 bytes: a long table name is cut (on
-- a character boundary) and followed by a hash of the whole name, so two long
-- names sharing a prefix still get different roles.
create function rowscope._table_role(p_table text, p_kind text) returns name
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_prefix text := 'rowscope_' || rowscope._database_tag() || '_';
  v_full text := v_prefix || p_table || '_' || p_kind;
  v_hash text := left(md5(p_table), 6);
  v_cut text := p_table;
begin
  if octet_length(v_full) <= 63 then
    return v_full;
  end if;
  while octet_length(v_prefix || v_cut || '_' || v_hash || '_' || p_kind) > 63 loop
    v_cut := left(v_cut, -1);
  end loop;
  return v_prefix || v_cut || '_' || v_hash || '_' || p_kind;
end
$$;

-- Every rowscope user's login of this database is a member (granted by the class
-- refresh): disable_user tells by it whether the login serves another database.
create function rowscope._members_role() returns name
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select ('rowscope_' || rowscope._database_tag() || '_members')::name
$$;

create function rowscope._classes_of(p_ownership text) returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select case when p_ownership = 'user' then array['org', 'bu', 'bu_shared', 'user', 'user_shared', 'none']
              else array['org', 'none'] end
$$;

-- class -> role, as rowscope.secured_table.class_roles holds it.
create function rowscope._class_roles_of(p_table text, p_ownership text) returns jsonb
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select jsonb_object_agg(c, rowscope._table_role(p_table, c)) from unnest(rowscope._classes_of(p_ownership)) c
$$;

-- Whether the login is a rowscope user of another database of the cluster too
-- (a member of another database's members role).
create function rowscope._user_elsewhere(p_role name) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (
    select from pg_auth_members m join pg_roles g on g.oid = m.roleid
    where m.member = to_regrole(quote_ident(p_role))
      and g.rolname ~ '^rowscope_[0-9a-f]{8}_members$' and g.rolname <> rowscope._members_role())
$$;

do $members$
declare
  v_role name := rowscope._members_role();
begin
  if not exists (select from pg_catalog.pg_roles where rolname = v_role) then
    begin
      execute format('create role %I nologin nobypassrls', v_role);
    exception when duplicate_object or unique_violation then
      null; -- a clone of this database (same tag) created it at the same moment
    end;
  end if;
  if current_setting('server_version_num')::int >= 160000 then
    execute format('grant %I to rowscope_definer with admin option, inherit false, set false', v_role);
  else
    execute format('grant %I to rowscope_definer with admin option', v_role);
  end if;
end
$members$;

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
-- the table invalidates it, under a weak lock (docs/architecture.md).
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
-- memberships first takes one common lock: a redundant grant of this database's
-- members role (every user of this database is a member). Per database: a
-- cluster-wide role here made one database's assign_role wait for another's
-- migration.
create function rowscope._lock_role_changes(p_member name) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp set client_min_messages = warning as $$
begin
  perform rowscope._grant_membership(rowscope._members_role(), p_member);
end
$$;

-- Grants or revokes one membership when it differs from what is called for;
-- true when it changed. p_locked: whether this refresh holds the lock already.
create function rowscope._set_membership(p_role name, p_member name, p_member_of boolean, inout p_locked boolean, out changed boolean)
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  changed := p_member_of is distinct from rowscope._is_member(p_member, p_role);
  if not changed then
    return;
  end if;
  if not p_locked then
    perform rowscope._lock_role_changes(p_member);
    p_locked := true;
  end if;
  if p_member_of then
    perform rowscope._grant_membership(p_role, p_member);
  else
    execute format('revoke %I from %I', p_role, p_member);
  end if;
end
$$;

-- Whether the user may UPDATE (write, or assign: an owner change) or DELETE
-- rows of the table at all: then its login needs the table-level privilege
-- (held through the table's write role). Depth 0 also when disabled or the
-- access mode forbids it; shares count only with user depth (rule 3).
create function rowscope._may_change(p_user uuid, p_table text, p_kind text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select case p_kind
    when 'update' then (rowscope._grant_summary(p_user, p_table, 'write')).depth > 0
                    or (rowscope._grant_summary(p_user, p_table, 'assign')).depth > 0
    else (rowscope._grant_summary(p_user, p_table, 'delete')).depth > 0 end
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

-- Per-class planner settings (docs/architecture.md): a login reading some table at user
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

-- For a security-invoker path that UPDATEs a model table as the caller
-- (rowscope.assign, sql/120): a rowscope user who may update nothing of the
-- table holds no UPDATE on it, and PostgreSQL would refuse without naming the
-- user, right and record; refuse first with the reason. Says nothing about the
-- record: the caller holds the right nowhere on the table.
create function rowscope._require_table_update(p_table text, p_right text, p_record uuid) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
begin
  if p_right is null or p_right not in ('write', 'assign') then
    perform rowscope._bad_argument(format('p_right: %L is no right an UPDATE needs', p_right));
  end if;
  if v_me is not null and not rowscope._may_change(v_me, p_table, 'update') then
    perform rowscope._refuse(v_me, p_right, p_table, p_record::text,
                             rowscope._missing_reason(v_me, p_table, p_right, null, null));
  end if;
end
$$;

-- Puts the user in exactly the class their access sets call for, on every model
-- table, and in the table's write roles when they may update / delete there;
-- revokes every other class of that table. All roles are this database's.
create function rowscope._refresh_user_classes(p_user uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_role name;
  st rowscope.secured_table;
  v_target text;
  c record;
  v_changed boolean;
  v_locked boolean := false;
  v_user_depth boolean := false;
  r record;
begin
  select db_role into v_role from rowscope.system_user where id = p_user;
  if v_role is null or to_regrole(quote_ident(v_role)) is null then
    return;
  end if;
  if not rowscope._is_member(v_role, rowscope._members_role()) then
    perform rowscope._lock_role_changes(v_role); -- grants the members role
    v_locked := true;
  end if;
  for st in select * from rowscope.secured_table order by name loop
    v_target := st.class_roles ->> rowscope._read_class(p_user, st.name);
    v_changed := false;
    for c in select key, value from jsonb_each_text(st.class_roles) loop
      select * into r from rowscope._set_membership(c.value::name, v_role, c.value = v_target, v_locked);
      v_locked := r.p_locked;
      v_changed := v_changed or r.changed;
    end loop;
    if v_changed then
      perform rowscope._invalidate_plans(st.name);
    end if;
    select s.p_locked into v_locked
    from rowscope._set_membership(rowscope._table_role(st.name, 'update'), v_role,
                                  rowscope._may_change(p_user, st.name, 'update'), v_locked) s;
    select s.p_locked into v_locked
    from rowscope._set_membership(rowscope._table_role(st.name, 'delete'), v_role,
                                  rowscope._may_change(p_user, st.name, 'delete'), v_locked) s;
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
