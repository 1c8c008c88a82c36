-- Business units (docs/reference.md). Guarded by privileges on the built-in table business_unit.

create function rowscope.root_business_unit() returns uuid
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select id from rowscope.business_unit where parent_id is null
$$;

create function rowscope.create_business_unit(name text, parent_id uuid) returns uuid
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v_id uuid;
begin
  perform rowscope._check_name(name, 'business unit');
  if parent_id is null then
    if exists (select from rowscope.business_unit) then
      perform rowscope._bad_argument('parent_id: the root business unit exists already; give the parent of the new one (rowscope.root_business_unit())');
    end if;
    if not rowscope._is_deployment_admin() then
      perform rowscope._refuse(rowscope._current_user_id(), 'create', 'business_unit', name,
                               'only the deployment administrator creates the root business unit');
    end if;
  else
    perform rowscope._check_business_unit(parent_id, 'parent_id');
    -- creating under P needs create on business_unit with a scope covering P
    perform rowscope._require_admin('business_unit', 'create', name, null, parent_id);
  end if;
  if exists (select from rowscope.business_unit b where b.name = create_business_unit.name) then
    perform rowscope._bad_argument(format('name: a business unit named %L exists already', name));
  end if;
  -- its default team takes its name (sql/074)
  if exists (select from rowscope.team t where t.name = create_business_unit.name and t.record_id is null) then
    perform rowscope._bad_argument(format('name: a team named %L exists already; a business unit''s default team takes its name', name));
  end if;
  insert into rowscope.business_unit (name, parent_id) values (name, parent_id) returning id into v_id;
  perform rowscope._create_default_team(v_id);
  return v_id;
end
$$;
