-- rowscope.assign_roles(assignments jsonb) and rowscope.add_team_members(members
-- jsonb): the bulk forms of assign_role (sql/073) and add_team_member
-- (sql/072); conventions in sql/150_bulk_items.sql. One INSERT per call, so
-- the statement triggers of sql/050 refresh the classes of the principals
-- touched once, and the audit rows (sql/220) name each principal. The bench
-- used to call assign_role once per user in one statement: a class refresh
-- per call, 24 minutes at scale 3.

-- Items: {principal_id, role_name, business_unit_id?, inheritance?}.
create function rowscope.assign_roles(assignments jsonb) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v record;
  v_across boolean := rowscope._setting_bool('ownershipAcrossBusinessUnits', false);
begin
  perform rowscope._bulk_check_items(assignments, 'assignments', array['principal_id', 'role_name'],
                                     array['principal_id', 'business_unit_id'], array['role_name', 'inheritance']);
  if not rowscope._is_deployment_admin() then
    for v in select e.item from jsonb_array_elements(assignments) with ordinality e(item, n) order by e.n loop
      perform rowscope.assign_role((v.item ->> 'principal_id')::uuid, v.item ->> 'role_name',
                                   (v.item ->> 'business_unit_id')::uuid, coalesce(v.item ->> 'inheritance', 'team_only'));
    end loop;
    return;
  end if;
  -- the single function's argument checks, in its order, for every item
  select * into v from (
    select i.n - 1 as i,
           case when r.id is null then 'role_name'
                when i.inheritance not in ('team_only', 'direct_user_and_team') then 'inheritance'
                when u.id is null and t.id is null then 'principal_id'
                when t.team_type = 'access' then 'principal_id (access team)'
                when u.id is not null and i.inheritance <> 'team_only' then 'inheritance (user)'
                when t.id is not null and i.bu is not null and i.bu <> t.business_unit_id then 'business_unit_id (team)'
                when i.bu is not null and i.bu <> u.business_unit_id
                     and not exists (select from rowscope.business_unit b where b.id = i.bu) then 'business_unit_id'
                when i.bu is not null and i.bu <> u.business_unit_id and not v_across then 'business_unit_id (across)'
           end as key, i.item, t.name as team_name, t.business_unit_id as team_bu
    from (select e.n, e.item, (e.item ->> 'principal_id')::uuid as principal, (e.item ->> 'business_unit_id')::uuid as bu,
                 coalesce(e.item ->> 'inheritance', 'team_only') as inheritance
          from jsonb_array_elements(assignments) with ordinality e(item, n)) i
    left join rowscope.security_role r on r.name = i.item ->> 'role_name'
    left join rowscope.system_user u on u.id = i.principal
    left join rowscope.team t on t.id = i.principal
  ) c where c.key is not null order by c.i limit 1;
  if found then
    perform rowscope._bulk_bad_item('assignments', v.i, split_part(v.key, ' ', 1), case v.key
      when 'role_name' then format('no such security role %L', v.item ->> 'role_name')
      when 'inheritance' then format('%L is not team_only or direct_user_and_team', v.item ->> 'inheritance')
      when 'principal_id' then format('no such user or team %s', v.item ->> 'principal_id')
      when 'principal_id (access team)' then format('%s is an access team; access teams hold no roles', v.team_name)
      when 'inheritance (user)' then 'direct_user_and_team applies to roles assigned to owner teams'
      when 'business_unit_id (team)' then format('a role held by team %s applies in the team''s own business unit (%s); only users hold roles in other business units',
                                                 v.team_name, rowscope._bu_label(v.team_bu))
      when 'business_unit_id' then format('no such business unit %s', v.item ->> 'business_unit_id')
      else 'a role can be assigned in another business unit only with the model option ownershipAcrossBusinessUnits' end);
  end if;
  -- the last item wins for the same (principal, role, BU), as consecutive calls
  insert into rowscope.role_assignment as a (principal_id, role_id, business_unit_id, inheritance)
  select distinct on (i.principal, r.id, i.bu) i.principal, r.id, i.bu, i.inheritance
  from (select e.n, (e.item ->> 'principal_id')::uuid as principal, e.item ->> 'role_name' as role_name,
               coalesce(e.item ->> 'inheritance', 'team_only') as inheritance,
               -- null: the principal's own BU (rowscope._assignment_bu)
               nullif((e.item ->> 'business_unit_id')::uuid,
                      coalesce((select u.business_unit_id from rowscope.system_user u where u.id = (e.item ->> 'principal_id')::uuid),
                               (select t.business_unit_id from rowscope.team t where t.id = (e.item ->> 'principal_id')::uuid))) as bu
        from jsonb_array_elements(assignments) with ordinality e(item, n)) i
  join rowscope.security_role r on r.name = i.role_name
  order by i.principal, r.id, i.bu, i.n desc
  on conflict (principal_id, role_id, business_unit_id) do update set inheritance = excluded.inheritance
  where a.inheritance is distinct from excluded.inheritance;
end
$$;

-- Items: {team_id, user_id}.
create function rowscope.add_team_members(members jsonb) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v record;
begin
  perform rowscope._bulk_check_items(members, 'members', array['team_id', 'user_id'], array['team_id', 'user_id'], '{}');
  if not rowscope._is_deployment_admin() then
    for v in select e.item from jsonb_array_elements(members) with ordinality e(item, n) order by e.n loop
      perform rowscope.add_team_member((v.item ->> 'team_id')::uuid, (v.item ->> 'user_id')::uuid);
    end loop;
    return;
  end if;
  select * into v from (
    select e.n - 1 as i,
           case when t.id is null then 'team_id'
                when t.record_id is not null then 'team_id (access team of a record)'
                when t.is_default then 'team_id (default team)'
                when u.id is null then 'user_id'
           end as key, e.item, t.name as team_name, t.business_unit_id as team_bu
    from jsonb_array_elements(members) with ordinality e(item, n)
    left join rowscope.team t on t.id = (e.item ->> 'team_id')::uuid
    left join rowscope.system_user u on u.id = (e.item ->> 'user_id')::uuid
  ) c where c.key is not null order by c.i limit 1;
  if found then
    perform rowscope._bulk_bad_item('members', v.i, split_part(v.key, ' ', 1), case v.key
      when 'team_id' then format('no such team %s', v.item ->> 'team_id')
      when 'user_id' then format('no such user %s', v.item ->> 'user_id')
      when 'team_id (default team)' then format('team %s is the default team of business unit %s; its members are the business unit''s users (create_user, move_user)',
                                               v.team_name, rowscope._bu_label(v.team_bu))
      else format('team %s is the access team of a record; use rowscope.add_access_team_member', v.item ->> 'team_id') end);
  end if;
  insert into rowscope.team_member (team_id, user_id)
  select (e.item ->> 'team_id')::uuid, (e.item ->> 'user_id')::uuid
  from jsonb_array_elements(members) with ordinality e(item, n) order by e.n
  on conflict do nothing;
end
$$;
