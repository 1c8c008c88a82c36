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
-- (a member of another database's members role). The login's memberships are
-- read through their index and each one's name from the syscache: joined with
-- pg_roles, the planner scanned every role named rowscope_* for each login,
-- calling _members_role for each (~1 ms a call with 600 databases' roles;
-- doctor asks it for every user role, docs/operations.md "doctor on a large
-- cluster").
create function rowscope._user_elsewhere(p_role name) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (
    select from pg_auth_members m
    where m.member = to_regrole(quote_ident(p_role))
      and pg_get_userbyid(m.roleid) ~ '^rowscope_[0-9a-f]{8}_members$'
      and pg_get_userbyid(m.roleid) <> (select rowscope._members_role()))
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

-- The user's read class of the table: what the access sets (sql/040) say,
-- reduced to which arms are non-empty. It asks the same questions as
-- cardinality(rowscope._scope_records / _scope_bus / _scope_owners(...)) > 0,
-- with one grant summary and EXISTS instead of building the arrays: the class
-- refresh asks it for every user of a bulk load and every table, and building
-- the share arrays was 80% of a refresh (bench scale 0.3: ~10 ms a user).
-- test/integration/foundation/bulk-classes.test.ts compares the two.
--
-- few: for a user-depth class (user, user_shared) and a given p_owners_total,
-- rowscope._owners_are_few with that denominator (the refresh counts it once),
-- from the same grant summary and reports; else null.
create function rowscope._class_of(p_user uuid, p_table text, p_owners_total bigint, out class text, out few boolean)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table;
  s record;
  v_reports uuid[];
  shared text := '';
begin
  class := 'none';
  select * into st from rowscope.secured_table where name = p_table;
  if not found or p_user is null then
    return;
  end if;
  -- (depth 0 also when rule 1, the user's state or access mode, allows no read)
  s := rowscope._grant_summary(p_user, p_table, 'read');
  if s.depth = 0 then
    return;
  elsif s.depth = 4 then
    class := 'org';
    return;
  elsif st.ownership = 'organization' then
    return;
  end if;
  v_reports := rowscope._hierarchy_reports_at(p_user, p_table, 'read', s.depth);
  -- _scope_records' arms: shares with the user or a team of theirs, children of
  -- parents they (or an owner team) own, shares with their reports
  if exists (select from rowscope.record_share r
             where r.table_name = p_table and r.principal_id = any (array[p_user] || rowscope._all_teams(p_user))
               and 'read' = any (r.rights))
     or exists (select from rowscope.parent_owner_read o
                where o.table_name = p_table and o.principal_id = any (array[p_user] || rowscope._owner_teams(p_user)))
     or (cardinality(v_reports) > 0
         and exists (select from rowscope.record_share r
                     where r.table_name = p_table and 'read' = any (r.rights)
                       and r.principal_id = any (v_reports || array(select m.team_id from rowscope.team_member m where m.user_id = any (v_reports))))) then
    shared := '_shared';
  end if;
  -- _scope_bus: the BUs at business_unit depth, and the trees at parent_child depth
  if cardinality(s.bus) > 0 or exists (select from rowscope.bu_closure c where c.ancestor_id = any (s.deep_bus)) then
    class := 'bu' || shared;
  -- _scope_owners: the summary's owners and the reports (rowscope._hierarchy_owners)
  elsif cardinality(s.owners) > 0 or cardinality(v_reports) > 0 then
    class := 'user' || shared;
    if p_owners_total is not null then
      few := case when cardinality(v_reports) = 0 then cardinality(s.owners)
                  else (select count(distinct o) from unnest(s.owners || rowscope._hierarchy_owners(v_reports)) o) end * 100
             < p_owners_total;
    end if;
  end if;
end
$$;

create function rowscope._read_class(p_user uuid, p_table text) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select (rowscope._class_of(p_user, p_table, null)).class
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
    -- GRANT rewrites the table's pg_class row, and a second transaction doing
    -- it before the first commits fails with XX000 "tuple concurrently
    -- updated" (PostgreSQL takes no row lock for it): one at a time per table
    -- (bench --concurrency on PostgreSQL 15 found it; class changes are rare).
    -- A row lock users cannot take (not an advisory lock, which anyone could
    -- hold forever); NO KEY keeps foreign-key checks on the row unblocked.
    perform from rowscope.secured_table where name = p_table for no key update;
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

-- Puts each user in exactly the class their access sets call for, on every
-- model table, and in the table's write roles when they may update / delete
-- there; revokes every other class of that table. All roles are this
-- database's. Users without a login (create_users' defer_logins) are skipped.
--
-- Set-based: the memberships called for are derived per user, compared with
-- pg_auth_members in one query per table, and each role that gains or loses
-- members gets one GRANT / REVOKE naming a thousand of them at a time. A GRANT
-- per user and role (as before) invalidated the role-membership caches each
-- time, and the next GRANT rebuilt them over every membership of the definer,
-- which holds ADMIN on every login: bench scale 1, 2,000 users' logins took
-- 841 s; scale 0.3, 600 users 27 s (docs/performance.md, "Loading security data").
create function rowscope._refresh_classes(p_users uuid[], p_settings_by_caller uuid[] default '{}') returns uuid[]
language plpgsql security definer set search_path = pg_catalog, pg_temp set client_min_messages = warning as $$
declare
  st rowscope.secured_table;
  v_members name := rowscope._members_role();
  v_grant_options text := case when current_setting('server_version_num')::int >= 160000 then ' with inherit true, set false' else '' end;
  v_users uuid[];
  v_logins oid[];
  v_roles name[];
  v_names text[];
  v_classes text[];
  v_update boolean[];
  v_delete boolean[];
  v_ops jsonb;
  v_op jsonb;
  v_locked boolean := false;
  v_changed boolean;
  v_owners_total bigint;
  v_user_depth uuid[] := '{}';
  v_few uuid[];
  v_setting record;
begin
  -- the users with a login, each once, in login order
  select coalesce(array_agg(s.id order by g.oid), '{}'), coalesce(array_agg(g.oid order by g.oid), '{}'),
         coalesce(array_agg(g.rolname order by g.oid), '{}'), coalesce(array_agg(quote_ident(g.rolname) order by g.oid), '{}')
    into v_users, v_logins, v_roles, v_names
  from (select distinct x.id from unnest(p_users) x(id)) u
  join rowscope.system_user s on s.id = u.id
  join pg_roles g on g.rolname = s.db_role;
  if cardinality(v_users) = 0 then
    return '{}';
  end if;
  -- every login of this database's users is a member of the members role;
  -- granting it is the lock every change of class memberships takes first
  -- (rowscope._lock_role_changes), so the one GRANT that adds the missing
  -- members also takes it
  for v_setting in
    select string_agg(n.name, ', ' order by n.oid) as names
    from (select n.*, (row_number() over (order by n.oid) - 1) / 1000 as slice
          from unnest(v_logins, v_names) n(oid, name)
          where not exists (select from pg_auth_members m where m.roleid = to_regrole(quote_ident(v_members)) and m.member = n.oid)) n
    group by n.slice order by n.slice
  loop
    execute format('grant %I to ', v_members) || v_setting.names || v_grant_options;
    v_locked := true;
  end loop;
  -- _owners_are_few's denominator, once for all users
  v_owners_total := (select count(*) from rowscope.system_user) + (select count(*) from rowscope.team where team_type = 'owner');
  for st in select * from rowscope.secured_table order by name loop
    -- per user: the class and the write roles called for. The write roles are
    -- rowscope._may_change in one query (the depth _grant_summary gives, > 0:
    -- rule 1, then the roles held directly or through an owner team), three
    -- grant summaries a user and table less
    select array_agg(st.class_roles ->> (c.k).class order by u.n),
           array_agg(coalesce(d.may_update, false) order by u.n), array_agg(coalesce(d.may_delete, false) order by u.n),
           coalesce(array_agg(u.id) filter (where (c.k).few), '{}')
      into v_classes, v_update, v_delete, v_few
    from unnest(v_users) with ordinality u(id, n)
    cross join lateral (select rowscope._class_of(u.id, st.name, v_owners_total) as k offset 0) c
    left join lateral (
      select bool_or(k.privilege in ('write', 'assign')) as may_update, bool_or(k.privilege = 'delete') as may_delete
      from rowscope.system_user s
      cross join lateral (select s.id as principal_id
                          union all
                          select m.team_id from rowscope.team_member m join rowscope.team t on t.id = m.team_id and t.team_type = 'owner'
                          where m.user_id = s.id) h
      join rowscope.role_assignment ra on ra.principal_id = h.principal_id
      cross join (values ('write'), ('assign'), ('delete')) k(privilege)
      join rowscope.security_role r on r.id = ra.role_id
      left join rowscope.role_privilege p on p.role_id = ra.role_id and p.table_name = st.name and p.privilege = k.privilege
      where s.id = u.id and not s.is_disabled and s.access_mode <> 'read'
        and (s.access_mode <> 'administrative' or st.name = any (rowscope._builtin_tables()))
        and ((r.is_builtin and r.name = 'system_administrator') or p.depth > 0)
    ) d on true;
    -- the GRANTs and REVOKEs that make pg_auth_members so, revokes first
    with wanted as (
      select w.oid, w.role from unnest(v_logins, v_classes) w(oid, role)
      union all
      select w.oid, rowscope._table_role(st.name, 'update') from unnest(v_logins, v_update) w(oid, yes) where w.yes
      union all
      select w.oid, rowscope._table_role(st.name, 'delete') from unnest(v_logins, v_delete) w(oid, yes) where w.yes
    ), managed as (
      select g.rolname::text as role, g.oid
      from (select c.value as role from jsonb_each_text(st.class_roles) c
            union select rowscope._table_role(st.name, 'update') union select rowscope._table_role(st.name, 'delete')) r
      join pg_roles g on g.rolname = r.role
    ), held as (
      select r.role, m.member as oid from pg_auth_members m join managed r on r.oid = m.roleid
      join unnest(v_logins) l(oid) on l.oid = m.member
    ), diff as (
      select w.role, w.oid, true as add from wanted w where not exists (select from held h where h.role = w.role and h.oid = w.oid)
      union all
      select h.role, h.oid, false from held h where not exists (select from wanted w where w.role = h.role and w.oid = h.oid)
    ), sliced as (
      select d.role, d.add, n.name, n.oid, (row_number() over (partition by d.role, d.add order by n.oid) - 1) / 1000 as slice
      from diff d join unnest(v_logins, v_names) n(oid, name) on n.oid = d.oid
    )
    select jsonb_agg(jsonb_build_object('role', o.role, 'add', o.add, 'names', o.names) order by o.add, o.role, o.slice) into v_ops
    from (select s.role, s.add, s.slice, string_agg(s.name, ', ' order by s.oid) as names from sliced s group by s.role, s.add, s.slice) o;
    v_changed := false;
    for v_op in select * from jsonb_array_elements(coalesce(v_ops, '[]')) loop
      if not v_locked then
        perform rowscope._lock_role_changes(v_roles[1]);
        v_locked := true;
      end if;
      if (v_op ->> 'add')::boolean then
        execute format('grant %I to ', v_op ->> 'role') || (v_op ->> 'names') || v_grant_options;
      else
        execute format('revoke %I from ', v_op ->> 'role') || (v_op ->> 'names');
      end if;
      v_changed := v_changed or (v_op ->> 'role') in (select c.value from jsonb_each_text(st.class_roles) c);
    end loop;
    if v_changed then
      perform rowscope._invalidate_plans(st.name);
    end if;
    v_user_depth := v_user_depth || v_few;
  end loop;
  -- the planner setting of user-depth readers, where it differs; but for the
  -- users a superuser's create_user_logins sets it for (sql/151: an ALTER ROLE
  -- by the definer costs in proportion to the logins)
  for v_setting in
    select x.name, d.id is not null as wanted
    from unnest(v_users, v_logins, v_roles) x(id, oid, name)
    left join (select distinct y.id from unnest(v_user_depth) y(id)) d on d.id = x.id
    left join (select distinct y.id from unnest(p_settings_by_caller) y(id)) k on k.id = x.id
    where k.id is null and (d.id is not null) is distinct from exists (
      select from pg_db_role_setting s join pg_database b on b.oid = s.setdatabase and b.datname = current_database()
      where s.setrole = x.oid and 'effective_cache_size=64MB' = any (s.setconfig))
    order by x.oid
  loop
    perform rowscope._set_class_settings(v_setting.name, v_setting.wanted);
  end loop;
  -- the caller's: those of its users that want the setting
  return array(select distinct d.id from unnest(v_user_depth) d(id) join unnest(p_settings_by_caller) k(id) on k.id = d.id);
end
$$;

-- One user (create_user, doctor's remedies).
create function rowscope._refresh_user_classes(p_user uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform rowscope._refresh_classes(array[p_user]);
end
$$;

-- Users and teams → the users whose classes may have changed.
create function rowscope._refresh_principals(p_principals uuid[], p_settings_by_caller uuid[] default '{}') returns uuid[]
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  -- the users named, the members of the teams named, and (hierarchy) everyone
  -- above them; the ids deduplicated and joined (a statement of 50,000 shares
  -- names each principal many times, and `= any` of such an array scans it
  -- per row)
  return rowscope._refresh_classes(rowscope._hierarchy_superiors(array(
    select u.id from (select distinct x.id from unnest(p_principals) x(id)) p join rowscope.system_user u on u.id = p.id
    union
    select m.user_id from (select distinct x.id from unnest(p_principals) x(id)) p join rowscope.team_member m on m.team_id = p.id)),
    p_settings_by_caller);
end
$$;

create function rowscope._refresh_all_users() returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform rowscope._refresh_classes(array(select id from rowscope.system_user order by id));
end
$$;

-- A bulk function that writes security data in several statements
-- (grant_access_bulk, sql/153: the direct shares, then each cascade level)
-- refreshes the classes of the principals it names once, at its end, rather
-- than once per statement. While its transaction is listed here the statement
-- triggers below leave the refresh to it. Only the definer writes this table,
-- so a user cannot switch their refresh off (the setting alone is not enough;
-- it only spares other transactions the lookup, as sql/100 cascade_pass).
create table rowscope.refresh_deferral (txid bigint primary key);

create function rowscope._defer_refresh(p_defer boolean) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_defer then
    perform set_config('rowscope.refresh_deferral_opened', 'on', true);
    insert into rowscope.refresh_deferral (txid) values (txid_current()) on conflict do nothing;
  else
    delete from rowscope.refresh_deferral where txid = txid_current();
  end if;
end
$$;

create function rowscope._refresh_deferred() returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(current_setting('rowscope.refresh_deferral_opened', true), '') = 'on'
         and exists (select from rowscope.refresh_deferral d where d.txid = txid_current())
$$;

-- Statement triggers with transition tables: one refresh per affected principal,
-- whichever path changed the security data (admin function or direct SQL).
create function rowscope._tg_refresh_from_principals() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_ids uuid[];
  v_column text := tg_argv[0];
begin
  if rowscope._refresh_deferred() then
    return null;
  end if;
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
