-- Hierarchy security (docs/security-model.md rule 4): managers (model `manager`) or users in
-- higher positions (model `position`) reach the records their reports own, the
-- records of the reports' owner teams and the records shared with the reports or
-- their teams, within `depth` levels. Level 1 gives read, write, append,
-- append_to; deeper levels read only. Trees are recursive-CTE views; the access
-- sets read closure tables rebuilt from them whenever a tree changes.

create view rowscope.manager_tree as
with recursive tree (ancestor_id, descendant_id, distance, path) as (
  select u.manager_id, u.id, 1, array[u.manager_id, u.id]
  from rowscope.system_user u where u.manager_id is not null
  union all
  select m.manager_id, t.descendant_id, t.distance + 1, m.manager_id || t.path
  from tree t join rowscope.system_user m on m.id = t.ancestor_id
  where m.manager_id is not null and not m.manager_id = any (t.path)
)
select ancestor_id, descendant_id, distance from tree;

create view rowscope.position_tree as
with recursive tree (ancestor_id, descendant_id, distance, path) as (
  select p.parent_id, p.id, 1, array[p.parent_id, p.id]
  from rowscope.position p where p.parent_id is not null
  union all
  select q.parent_id, t.descendant_id, t.distance + 1, q.parent_id || t.path
  from tree t join rowscope.position q on q.id = t.ancestor_id
  where q.parent_id is not null and not q.parent_id = any (t.path)
)
select ancestor_id, descendant_id, distance from tree;

create table rowscope.manager_closure (
  ancestor_id uuid not null,
  descendant_id uuid not null,
  distance int not null,
  primary key (ancestor_id, descendant_id)
);
create index manager_closure_descendant on rowscope.manager_closure (descendant_id);

create table rowscope.position_closure (
  ancestor_id uuid not null,
  descendant_id uuid not null,
  distance int not null,
  primary key (ancestor_id, descendant_id)
);
create index position_closure_descendant on rowscope.position_closure (descendant_id);

-- Users whose hierarchy reach may change when these users' place in a tree
-- changes: the users themselves and everyone above them.
create function rowscope._hierarchy_superiors(p_users uuid[]) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct x), '{}') from (
    select unnest(p_users) as x
    union all
    select c.ancestor_id from rowscope.manager_closure c where c.descendant_id = any (p_users)
    union all
    select boss.id from rowscope.system_user u
    join rowscope.position_closure c on c.descendant_id = u.position_id
    join rowscope.system_user boss on boss.position_id = c.ancestor_id
    where u.id = any (p_users)
  ) s
$$;

-- Rebuilds both closures; re-derives the classes of the users whose place
-- changed and of everyone above them, before and after the change.
create function rowscope._rebuild_hierarchy_closures(p_changed uuid[]) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_before uuid[] := rowscope._hierarchy_superiors(p_changed);
begin
  delete from rowscope.manager_closure;
  insert into rowscope.manager_closure select * from rowscope.manager_tree;
  delete from rowscope.position_closure;
  insert into rowscope.position_closure select * from rowscope.position_tree;
  perform rowscope._refresh_principals(v_before);
end
$$;

create function rowscope._tg_user_hierarchy_changed() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_changed uuid[];
begin
  if tg_op = 'UPDATE' then
    select coalesce(array_agg(n.id), '{}') into v_changed
      from new_rows n join old_rows o on o.id = n.id
     where n.manager_id is distinct from o.manager_id or n.position_id is distinct from o.position_id;
    if cardinality(v_changed) = 0 then
      return null;
    end if;
  elsif tg_op = 'INSERT' then
    select coalesce(array_agg(id), '{}') into v_changed from new_rows where manager_id is not null or position_id is not null;
    if cardinality(v_changed) = 0 then
      return null;
    end if;
  else
    select coalesce(array_agg(id), '{}') into v_changed from old_rows;
  end if;
  perform rowscope._rebuild_hierarchy_closures(v_changed);
  return null;
end
$$;

create trigger system_user_hierarchy_insert after insert on rowscope.system_user
  referencing new table as new_rows for each statement execute function rowscope._tg_user_hierarchy_changed();
create trigger system_user_hierarchy_update after update on rowscope.system_user
  referencing old table as old_rows new table as new_rows for each statement execute function rowscope._tg_user_hierarchy_changed();
create trigger system_user_hierarchy_delete after delete on rowscope.system_user
  referencing old table as old_rows for each statement execute function rowscope._tg_user_hierarchy_changed();

create function rowscope._tg_position_tree_changed() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  perform rowscope._rebuild_hierarchy_closures(array(select id from rowscope.system_user where position_id is not null));
  return null;
end
$$;
create trigger position_tree_changed
  after insert or delete or update of parent_id on rowscope.position
  for each statement execute function rowscope._tg_position_tree_changed();

-- The reports through whom the user reaches records for the right, in the
-- model's hierarchy, within the table's depth (its own, else the model's): none
-- unless the table has hierarchySecurity, the right is one hierarchy gives, and
-- the user holds it at user depth or wider.
create function rowscope._hierarchy_reports(p_user uuid, p_table text, p_right text) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  return rowscope._hierarchy_reports_at(p_user, p_table, p_right, rowscope._max_depth(p_user, p_table, p_right));
end
$$;

-- The same for a caller that knows the user's depth for the right already (the
-- access-set helpers): one query for the settings, one for the reports. Plain
-- plpgsql so that both plans are cached for the session (these run in every
-- read policy's InitPlans).
create function rowscope._hierarchy_reports_at(p_user uuid, p_table text, p_right text, p_depth smallint) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_model text;
  v_levels int;
  v_same_bu boolean;
  v_reports uuid[];
begin
  if p_depth < 1 or p_right not in ('read', 'write', 'append', 'append_to') then
    return '{}';
  end if;
  -- the table's own depth (model option tables.<t>.hierarchyDepth) overrides the model's
  select coalesce((select value #>> '{}' from rowscope.setting where key = 'hierarchyModel'), 'none'),
         coalesce(st.hierarchy_depth, (select (value #>> '{}')::int from rowscope.setting where key = 'hierarchyDepth'), 3),
         coalesce((select (value #>> '{}')::boolean from rowscope.setting where key = 'managersMustBeInSameOrParentBusinessUnit'), true)
    into v_model, v_levels, v_same_bu
    from rowscope.secured_table st
   where st.name = p_table and st.hierarchy_security;
  if v_model is null or v_model = 'none' then
    return '{}';
  end if;
  if p_right <> 'read' then
    v_levels := 1;
  end if;
  if v_model = 'manager' then
    select coalesce(array_agg(c.descendant_id), '{}') into v_reports
    from rowscope.manager_closure c
    join rowscope.system_user m on m.id = c.ancestor_id
    join rowscope.system_user p on p.id = c.descendant_id
    where c.ancestor_id = p_user and c.distance between 1 and v_levels
      and (not v_same_bu
           or exists (select from rowscope.bu_closure b
                      where b.ancestor_id = m.business_unit_id and b.descendant_id = p.business_unit_id));
  else
    select coalesce(array_agg(p.id), '{}') into v_reports
    from rowscope.system_user m
    join rowscope.position_closure c on c.ancestor_id = m.position_id
    join rowscope.system_user p on p.position_id = c.descendant_id
    where m.id = p_user and c.distance between 1 and v_levels and p.id <> p_user;
  end if;
  return v_reports;
end
$$;

-- The owners whose records the hierarchy reaches: the reports and their owner teams.
create function rowscope._hierarchy_owners(p_reports uuid[]) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct x), '{}') from (
    select unnest(p_reports) as x
    union all
    select m.team_id from rowscope.team_member m join rowscope.team t on t.id = m.team_id and t.team_type = 'owner'
    where m.user_id = any (p_reports)
  ) s
$$;

-- Records shared with the reports or any team of theirs, with the right.
create function rowscope._hierarchy_shared(p_reports uuid[], p_table text, p_right text) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct s.record_id), '{}')
  from rowscope.record_share s
  where cardinality(p_reports) > 0 and s.table_name = p_table and p_right = any (s.rights)
    and s.principal_id = any (p_reports || array(select m.team_id from rowscope.team_member m where m.user_id = any (p_reports)))
$$;

-- Admin API of positions. Guarded like other changes to users: write on
-- system_user (positions are organization-wide, so at organization depth).
-- The caller is checked before the arguments are looked at, so an
-- unprivileged caller learns nothing about which positions exist; names are
-- bounded (they end up in messages and labels: issue 14, F12).
create function rowscope.create_position(name text, parent_id uuid default null) returns uuid
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v_id uuid;
begin
  perform rowscope._require_admin('system_user', 'write', 'position ' || coalesce(left(name, 160), 'null'), null, null);
  perform rowscope._check_name(name, 'position');
  if create_position.parent_id is not null and not exists (select from rowscope.position p where p.id = create_position.parent_id) then
    perform rowscope._bad_argument(format('parent_id: no such position %s', create_position.parent_id));
  end if;
  if exists (select from rowscope.position p where p.name = create_position.name) then
    perform rowscope._bad_argument(format('name: a position named %L exists already', create_position.name));
  end if;
  insert into rowscope.position (name, parent_id) values (create_position.name, create_position.parent_id) returning id into v_id;
  return v_id;
end
$$;

-- A position places the user in the position hierarchy (who reaches whose
-- records), so it needs write on system_user covering the user.
create function rowscope.set_position(user_id uuid, position_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  u rowscope.system_user := rowscope._require_user_admin('write', set_position.user_id);
begin
  if set_position.position_id is not null and not exists (select from rowscope.position p where p.id = set_position.position_id) then
    perform rowscope._bad_argument(format('position_id: no such position %s', set_position.position_id));
  end if;
  update rowscope.system_user s set position_id = set_position.position_id where s.id = u.id;
end
$$;
