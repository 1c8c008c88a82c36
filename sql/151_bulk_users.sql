-- rowscope.create_users(users jsonb) and rowscope.set_managers(managers jsonb):
-- the bulk forms of create_user and set_manager (sql/071; conventions in
-- sql/150_bulk_items.sql).
--
-- Where one-by-one creation spent its time (bench, scale 3: 6,000 users in
-- 769 s): each user's GRANTs invalidate the role-membership caches, which the
-- next GRANT recomputes over every role the authenticator is a member of
-- (quadratic), and each user's class refresh ran alone. Here the LOGIN roles
-- get their two memberships in two GRANT statements for the whole batch, the
-- rows go in with one INSERT each, and the classes are refreshed once at the
-- end for the users created.

-- Runs p_statement, a format string whose %s takes a list of logins, for a
-- thousand of p_logins at a time, in their order: one GRANT per membership for
-- many logins instead of one per login (the callers below).
create function rowscope._for_login_slices(p_statement text, p_logins text[]) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_names text;
begin
  for v_names in select string_agg(quote_ident(l.r), ', ' order by l.n) from unnest(p_logins) with ordinality l(r, n)
                 group by (l.n - 1) / 1000 order by (l.n - 1) / 1000 loop
    execute format(p_statement, v_names);
  end loop;
end
$$;

-- The logins of these users (sql/071 _create_user's second half, for a batch):
-- a missing LOGIN role is created; an existing role that is not yet a
-- rowscope login is mapped only when it holds nothing else; then the two
-- memberships every user's login has, and one class refresh for them all.
-- Users whose login is complete already are left alone.
-- Returns, when p_session_defaults is false (a superuser's create_user_logins,
-- below), the users whose login wants the user-depth planner setting: the
-- caller sets it (sql/050 _refresh_classes leaves it to the caller). That
-- caller has also created the LOGIN roles (p_created: their names, new in
-- this statement, so not checked as existing roles are), and grants them
-- rowscope_user itself, after this.
create function rowscope._create_logins(p_users uuid[], p_session_defaults boolean default true, p_created text[] default '{}')
returns uuid[]
language plpgsql security definer set search_path = pg_catalog, pg_temp set client_min_messages = warning as $$
declare
  v_user_depth uuid[];
  v record;
  v_reason text;
  v_new text[];
  v_grant_options text := case when current_setting('server_version_num')::int >= 160000 then ' with inherit true, set false' else '' end;
  v_auth_options text := case when current_setting('server_version_num')::int >= 160000 then ' with inherit false' else '' end;
begin
  for v in select s.db_role as r, g.oid from unnest(p_users) with ordinality x(id, n)
           join rowscope.system_user s on s.id = x.id join pg_roles g on g.rolname = s.db_role
           where not rowscope._is_member(s.db_role, 'rowscope_user') and not s.db_role = any (p_created) order by x.n loop
    v_reason := rowscope._unmappable_reason(v.oid);
    if v_reason is not null then
      perform rowscope._refuse(null, 'create', 'system_user', 'user ' || v.r,
        format('role %s %s; only a plain login that holds nothing else becomes a rowscope user', v.r, v_reason));
    end if;
  end loop;
  for v in select s.db_role as r from unnest(p_users) with ordinality x(id, n) join rowscope.system_user s on s.id = x.id
           where to_regrole(quote_ident(s.db_role)) is null order by x.n loop
    execute format('create role %I login nosuperuser nobypassrls nocreatedb nocreaterole', v.r);
  end loop;
  -- the logins that are no rowscope user yet, in the users' order
  v_new := array(select s.db_role::text from unnest(p_users) with ordinality x(id, n) join rowscope.system_user s on s.id = x.id
                 where not rowscope._is_member(s.db_role, 'rowscope_user') order by x.n);
  -- one GRANT per membership for a thousand logins at a time. The server's
  -- login may switch to them first; rowscope_user last, after the class
  -- refresh: granting it locks that cluster-wide role until commit, and other
  -- databases' create_user would wait on it for as long as the refresh takes.
  -- A superuser's create_user_logins (p_session_defaults false) makes these
  -- GRANTs and applies the session defaults itself (below): granted by the
  -- definer, PostgreSQL checks the definer's ADMIN on each login by walking
  -- every role the definer is a member of, uncached -- the definer holds ADMIN
  -- on every login, so the walk grows with the logins and a load with their
  -- square.
  if p_session_defaults then
    perform rowscope._for_login_slices('grant %s to rowscope_authenticator' || v_auth_options, v_new);
    -- the session defaults (sql/076), as create_user applies them
    for v in select r from unnest(v_new) with ordinality x(r, n) order by x.n loop
      perform rowscope._apply_session_defaults(v.r::name);
    end loop;
  end if;
  -- The refresh plans its access-set queries (sql/040) on these tables' statistics.
  -- In a bulk load they were taken when the tables were nearly empty, and the
  -- share lookup then scanned all of record_share for every user (bench, scale 1:
  -- 143 ms a user; 22 ms with fresh statistics). ANALYZE counts this
  -- transaction's own rows. Only the tables that outgrew theirs (sql/150).
  perform rowscope._analyze_outgrown(array['rowscope.record_share', 'rowscope.team_member', 'rowscope.role_assignment',
                                           'rowscope.system_user', 'rowscope.team', 'rowscope.manager_closure']::regclass[]);
  v_user_depth := rowscope._refresh_principals(p_users, case when p_session_defaults then '{}' else p_users end);
  -- (a superuser's create_user_logins grants rowscope_user itself, last: below)
  if p_session_defaults then
    perform rowscope._for_login_slices('grant rowscope_user to %s' || v_grant_options, v_new);
  end if;
  return v_user_depth;
end
$$;

-- The definer part. Items: {db_role, business_unit_id, manager_id?, access_mode?}.
-- Returns each item's db_role and new id, in item order. p_defer_logins: the
-- deployment administrator loading an organization in one transaction
-- (`rowscope import`) creates the logins once at the end, with
-- rowscope.create_user_logins: until then the users have no login, and every
-- class refresh of them (sql/050, one per statement that touches them) is
-- a no-op. Nobody else sees them before the transaction commits.
create function rowscope._bulk_create_users(p_users jsonb, p_defer_logins boolean default false) returns table (db_role text, id uuid)
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v record;
  v_reason text;
  v_ids uuid[];
begin
  perform rowscope._bulk_check_items(p_users, 'users', array['db_role', 'business_unit_id'],
                                     array['business_unit_id', 'manager_id'], array['db_role', 'access_mode']);
  if p_defer_logins is null or (p_defer_logins and not rowscope._is_deployment_admin()) then
    perform rowscope._bad_argument('defer_logins: only the deployment administrator defers the logins of new users');
  end if;
  if not rowscope._is_deployment_admin() then
    -- a rowscope user: the single function's checks, item by item
    for v in select e.item, e.n from jsonb_array_elements(p_users) with ordinality e(item, n) order by e.n loop
      db_role := v.item ->> 'db_role';
      id := rowscope._create_user(v.item ->> 'db_role', (v.item ->> 'business_unit_id')::uuid,
                                  (v.item ->> 'manager_id')::uuid, coalesce(v.item ->> 'access_mode', 'read_write'));
      return next;
    end loop;
    return;
  end if;

  -- every item's arguments, first problem in item order (as the single calls would meet them)
  select * into v from (
    select i.n - 1 as i,
           case when i.r !~ '^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$' or i.r ~* '^(pg_|rowscope_)' then 'db_role'
                when not exists (select from rowscope.business_unit b where b.id = i.bu) then 'business_unit_id'
                when i.mode not in ('read_write', 'administrative', 'read', 'non_interactive') then 'access_mode'
                when i.manager is not null and not exists (select from rowscope.system_user s where s.id = i.manager) then 'manager_id'
                when exists (select from rowscope.system_user s where s.db_role = i.r) then 'db_role (exists)'
                when count(*) over (partition by i.r) > 1 and i.n > min(i.n) over (partition by i.r) then 'db_role (twice)'
           end as key, i.r, i.bu, i.mode, i.manager
    from (select e.n, e.item ->> 'db_role' as r, (e.item ->> 'business_unit_id')::uuid as bu,
                 (e.item ->> 'manager_id')::uuid as manager, coalesce(e.item ->> 'access_mode', 'read_write') as mode
          from jsonb_array_elements(p_users) with ordinality e(item, n)) i
  ) c where c.key is not null order by c.i limit 1;
  if found then
    perform rowscope._bulk_bad_item('users', v.i, split_part(v.key, ' ', 1), case v.key
      when 'db_role' then format('%L is not a usable role name (letters, digits, _ . @ -; not pg_* or rowscope_*)', v.r)
      when 'business_unit_id' then format('no such business unit %s', v.bu)
      when 'access_mode' then format('%L is not one of read_write, administrative, read, non_interactive', v.mode)
      when 'manager_id' then format('no such user %s', v.manager)
      when 'db_role (exists)' then format('%s is a rowscope user already', v.r)
      else format('%s appears more than once', v.r) end);
  end if;

  -- existing roles are mapped only when they hold nothing else (as create_user)
  for v in select e.item ->> 'db_role' as r, g.oid from jsonb_array_elements(p_users) with ordinality e(item, n)
           join pg_roles g on g.rolname = e.item ->> 'db_role' order by e.n loop
    v_reason := rowscope._unmappable_reason(v.oid);
    if v_reason is not null then
      perform rowscope._refuse(null, 'create', 'system_user', 'user ' || v.r,
        format('role %s %s; only a plain login that holds nothing else becomes a rowscope user', v.r, v_reason));
    end if;
  end loop;

  -- the principals and the users in one statement (the foreign key is checked at its end)
  with item as materialized (
    select e.n, gen_random_uuid() as id, e.item from jsonb_array_elements(p_users) with ordinality e(item, n)
  ), principal as (
    insert into rowscope.principal (id, kind) select i.id, 'user' from item i order by i.n
  ), created as (
    insert into rowscope.system_user (id, db_role, business_unit_id, manager_id, access_mode)
    select i.id, i.item ->> 'db_role', (i.item ->> 'business_unit_id')::uuid, (i.item ->> 'manager_id')::uuid,
           coalesce(i.item ->> 'access_mode', 'read_write')
    from item i order by i.n
    returning id
  )
  select array_agg(i.id order by i.n) into v_ids from item i where i.id in (select c.id from created c);
  -- each BU's default team has its users (sql/074 _join_default_team)
  insert into rowscope.team_member (team_id, user_id)
  select t.id, s.id from unnest(v_ids) x(id) join rowscope.system_user s on s.id = x.id
  join rowscope.team t on t.business_unit_id = s.business_unit_id and t.is_default
  on conflict do nothing;
  if not p_defer_logins then
    perform rowscope._create_logins(coalesce(v_ids, '{}'));
  end if;
  return query select s.db_role::text, s.id from unnest(v_ids) with ordinality x(id, n)
    join rowscope.system_user s on s.id = x.id order by x.n;
end
$$;

-- Security invoker, as create_user (sql/071): a superuser mapping existing
-- roles first hands the definer ADMIN on them (PostgreSQL 16+).
create function rowscope._admin_on_existing_roles(p_roles text[]) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_role text;
begin
  if exists (select from pg_roles where rolname = current_user and rolsuper)
     and current_setting('server_version_num')::int >= 160000 then
    for v_role in select g.rolname from pg_roles g where g.rolname = any (p_roles) and not g.rolsuper order by 1 loop
      execute format('grant %I to rowscope_definer with admin option, inherit false, set false', v_role);
    end loop;
  end if;
end
$$;

create function rowscope.create_users(users jsonb, defer_logins boolean default false) returns table (db_role text, id uuid)
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if jsonb_typeof(users) = 'array' and not coalesce(defer_logins, false) then
    perform rowscope._admin_on_existing_roles(array(select e.item ->> 'db_role' from jsonb_array_elements(users) e(item)
                                                    where jsonb_typeof(e.item) = 'object'));
  end if;
  return query select * from rowscope._bulk_create_users(users, defer_logins);
end
$$;

-- The logins of users created with defer_logins (deployment administrator only).
--
-- A superuser's call applies the session defaults itself, as the superuser.
-- ALTER ROLE by the definer checks that it holds ADMIN on the login, and
-- PostgreSQL walks every role the definer is a member of to find out (no
-- cache when ADMIN is sought); the definer holds ADMIN on every login, so each
-- ALTER costs time in proportion to the users (bench scale 0.3: 0.6 ms of CPU,
-- 30x a superuser's; three per new user), quadratic over a load. The same for
-- the class setting of user-depth readers (sql/050 _set_class_settings).
create function rowscope.create_user_logins(user_ids uuid[]) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v record;
  v_user_depth uuid[];
  v_created text[];
begin
  -- (only a superuser needs it, and only a superuser may read the users here)
  if exists (select from pg_roles where rolname = current_user and rolsuper) then
    -- The LOGIN roles too, as the superuser, handing the definer ADMIN on them
    -- (_admin_on_existing_roles, as a CREATEROLE role's CREATE ROLE gives its
    -- creator on PostgreSQL 16+). The definer's CREATE ROLE checks its
    -- privileges by walking every role it is a member of, uncached, and it holds
    -- ADMIN on every login: 8 ms a login at 6,000 logins (bench scale 3) against
    -- 0.5 ms for the superuser's CREATE ROLE and GRANT.
    -- (_create_logins checks only the roles that existed before: a role made
    -- here holds nothing, and _unmappable_reason costs ~10 ms a role at scale 3)
    v_created := array(
      select s.db_role::text from (select distinct x.id from unnest(user_ids) x(id)) u join rowscope.system_user s on s.id = u.id
      where to_regrole(quote_ident(s.db_role)) is null order by s.db_role);
    for v in select r from unnest(v_created) r loop
      execute format('create role %I login nosuperuser nobypassrls nocreatedb nocreaterole', v.r);
    end loop;
    perform rowscope._admin_on_existing_roles(array(select s.db_role::text from rowscope.system_user s where s.id = any (user_ids)));
    v_user_depth := rowscope._create_user_logins_without_defaults(user_ids, v_created);
    -- the logins' membership in the server's login, left to this caller (see
    -- _create_logins): a superuser's GRANT checks no ADMIN, so it costs the same
    -- at the 20th login and the 20,000th
    perform rowscope._for_login_slices(
      'grant %s to rowscope_authenticator' || case when current_setting('server_version_num')::int >= 160000 then ' with inherit false' else '' end,
      array(select s.db_role::text from (select distinct x.id from unnest(user_ids) x(id)) u join rowscope.system_user s on s.id = u.id
            join pg_roles g on g.rolname = s.db_role
            where not exists (select from pg_auth_members m where m.roleid = g.oid and m.member = 'rowscope_authenticator'::regrole)
            order by s.db_role));
    -- what rowscope._apply_session_defaults (sql/076) writes, where it differs
    for v in
      select s.db_role, d.setting, d.value
      from (select distinct x.id from unnest(user_ids) x(id)) u join rowscope.system_user s on s.id = u.id
      join pg_roles g on g.rolname = s.db_role
      cross join rowscope._session_default_settings() d
      where not exists (select from pg_db_role_setting c join pg_database b on b.oid = c.setdatabase and b.datname = current_database()
                        where c.setrole = g.oid and d.setting || '=' || d.value = any (c.setconfig))
      order by s.db_role, d.setting
    loop
      execute format('alter role %I in database %I set %s = %L', v.db_role, current_database(), v.setting, v.value);
    end loop;
    -- what rowscope._refresh_classes (sql/050) left to this caller: the
    -- planner setting of a user-depth reader with few owners
    for v in
      select s.db_role, w.wanted
      from (select distinct x.id from unnest(user_ids) x(id)) u join rowscope.system_user s on s.id = u.id
      join pg_roles g on g.rolname = s.db_role
      left join (select distinct d.id from unnest(v_user_depth) d(id)) w0 on w0.id = s.id
      cross join lateral (select w0.id is not null as wanted) w
      where w.wanted is distinct from exists (
          select from pg_db_role_setting c join pg_database b on b.oid = c.setdatabase and b.datname = current_database()
          where c.setrole = g.oid and 'effective_cache_size=64MB' = any (c.setconfig))
      order by s.db_role
    loop
      if v.wanted then
        execute format('alter role %I in database %I set effective_cache_size = %L', v.db_role, current_database(), '64MB');
      else
        execute format('alter role %I in database %I reset effective_cache_size', v.db_role, current_database());
      end if;
    end loop;
    -- rowscope_user last, as _create_logins grants it (that GRANT locks the
    -- cluster-wide role until commit); by the superuser, whose GRANT checks no
    -- ADMIN (the definer's costs ~0.5 s a statement at 6,000 logins)
    perform rowscope._for_login_slices(
      'grant rowscope_user to %s' || case when current_setting('server_version_num')::int >= 160000 then ' with inherit true, set false' else '' end,
      array(select s.db_role::text from (select distinct x.id from unnest(user_ids) x(id)) u join rowscope.system_user s on s.id = u.id
            join pg_roles g on g.rolname = s.db_role
            where not exists (select from pg_auth_members m where m.roleid = 'rowscope_user'::regrole and m.member = g.oid)
            order by s.db_role));
    return;
  end if;
  perform rowscope._create_user_logins(user_ids);
end
$$;

-- A superuser's create_user_logins (above): not granted to anyone, so only a
-- superuser reaches it. p_created: the LOGIN roles that call has just created.
create function rowscope._create_user_logins_without_defaults(p_users uuid[], p_created text[] default '{}') returns uuid[]
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if not exists (select from pg_roles where rolname = session_user and rolsuper) then
    perform rowscope._refuse(rowscope._current_user_id(), 'create', 'system_user', 'logins',
                             'only a superuser creates logins without their session defaults');
  end if;
  if p_users is null then
    perform rowscope._bad_argument('user_ids: give the ids of the users');
  end if;
  return rowscope._create_logins(p_users, false, coalesce(p_created, '{}'));
end
$$;

create function rowscope._create_user_logins(p_users uuid[]) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if not rowscope._is_deployment_admin() then
    perform rowscope._refuse(rowscope._current_user_id(), 'create', 'system_user', 'logins',
                             'only the deployment administrator creates the logins of users created with defer_logins');
  end if;
  if p_users is null then
    perform rowscope._bad_argument('user_ids: give the ids of the users');
  end if;
  perform rowscope._create_logins(p_users);
end
$$;

-- Items: {user_id, manager_id} (manager_id null clears it). As set_manager:
-- a cycle in the resulting tree is 22023 and nothing changes.
create function rowscope.set_managers(managers jsonb) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v record;
begin
  perform rowscope._bulk_check_items(managers, 'managers', array['user_id'], array['user_id', 'manager_id'], '{}');
  if not rowscope._is_deployment_admin() then
    for v in select e.item, e.n from jsonb_array_elements(managers) with ordinality e(item, n) order by e.n loop
      perform rowscope.set_manager((v.item ->> 'user_id')::uuid, (v.item ->> 'manager_id')::uuid);
    end loop;
    return;
  end if;
  select * into v from (
    select e.n - 1 as i,
           case when not exists (select from rowscope.system_user s where s.id = (e.item ->> 'user_id')::uuid) then 'user_id'
                when e.item ->> 'manager_id' is not null
                     and not exists (select from rowscope.system_user s where s.id = (e.item ->> 'manager_id')::uuid) then 'manager_id'
                when count(*) over (partition by e.item ->> 'user_id') > 1 then 'user_id (twice)'
           end as key, e.item
    from jsonb_array_elements(managers) with ordinality e(item, n)
  ) c where c.key is not null order by c.i limit 1;
  if found then
    perform rowscope._bulk_bad_item('managers', v.i, split_part(v.key, ' ', 1), case v.key
      when 'user_id (twice)' then format('user %s appears more than once', v.item ->> 'user_id')
      else format('no such user %s', v.item ->> split_part(v.key, ' ', 1)) end);
  end if;
  update rowscope.system_user s set manager_id = (e.item ->> 'manager_id')::uuid
    from jsonb_array_elements(managers) e(item)
   where s.id = (e.item ->> 'user_id')::uuid and s.manager_id is distinct from (e.item ->> 'manager_id')::uuid;
  -- a cycle through a changed user (the tree was acyclic before)
  select u.id into v from (
    with recursive chain (start, id, path) as (
      select (e.item ->> 'user_id')::uuid, (e.item ->> 'manager_id')::uuid, array[(e.item ->> 'user_id')::uuid]
        from jsonb_array_elements(managers) e(item) where e.item ->> 'manager_id' is not null
      union all
      select c.start, s.manager_id, c.path || c.id from chain c join rowscope.system_user s on s.id = c.id
       where s.manager_id is not null and not c.id = any (c.path)
    )
    select c.start as id from chain c where c.id = c.start limit 1
  ) u;
  if found then
    perform rowscope._bad_argument(format('managers: %s would report to themselves (a cycle)', rowscope._principal_label(v.id)));
  end if;
end
$$;
