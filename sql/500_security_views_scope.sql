-- What the security data views (sql/510..560) filter by, for the acting user.
-- Each view compares its rows with these sets in uncorrelated sub-selects, so
-- every set is computed once per statement (an InitPlan) and the rows are
-- tested against arrays, as the model tables' read policies do
-- (src/compile/policies.ts). The sets of the built-in tables come from
-- rowscope.scope_org / scope_owners / scope_bus (sql/045_access_cache.sql): the
-- same grants, depths, access modes and session cache as the admin functions'
-- checks (rowscope._require_admin), so a view shows an object exactly when the
-- reader's read privilege covers it. An object's "owner" and BU are those the
-- admin functions scope it by: a user is its own owner in its BU, a team is its
-- own owner in its BU, a business unit belongs to itself (sql/070, sql/071).
--
-- None of these helpers takes a user argument: each answers for the acting
-- user only, so calling them directly tells a user nothing about anyone else.

-- The acting user when enabled: everyone sees their own row, teams, memberships,
-- role assignments and roles, unless disabled (a disabled user sees nothing).
create function rowscope._sv_me() returns uuid
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select u.id from rowscope.system_user u
  where u.db_role = rowscope._identity() and not u.is_disabled
$$;

-- The acting user (enabled) and every team they belong to: the principals whose
-- shares, memberships and role assignments they always see.
create function rowscope._sv_my_principals() returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array[me.id] || rowscope._all_teams(me.id), '{}')
  from (select rowscope._sv_me() as id) me
$$;

-- Everything of a built-in table: the deployment administrator, or read on the
-- table at organization depth (System Administrator in any access mode that
-- reads: read_write, read, administrative, non_interactive).
create function rowscope._sv_all(p_table text) returns boolean
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  return rowscope._is_deployment_admin() or coalesce(rowscope.scope_org(p_table, 'read'), false);
end
$$;

-- Read on the table at any depth above none (security roles, field security
-- profiles and positions are organization-wide: any depth shows them all).
create function rowscope._sv_any(p_table text) returns boolean
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid;
begin
  if rowscope._is_deployment_admin() then
    return true;
  end if;
  v_me := rowscope._current_user_id();
  return v_me is not null and (rowscope._grant_summary_cached(v_me, p_table, 'read')).depth > 0;
end
$$;

-- Roles the acting user holds, directly or through an owner team.
create function rowscope._sv_my_roles() returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct ra.role_id), '{}')
  from rowscope.role_assignment ra
  where ra.principal_id = any (rowscope._sv_my_principals())
$$;

-- Model tables on which the acting user holds share at organization depth: their
-- shares are all visible without looking at each record.
create function rowscope._sv_share_org_tables() returns text[]
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._sv_me();
begin
  if v_me is null then
    return '{}';
  end if;
  return array(select st.name from rowscope.secured_table st
               where (rowscope._grant_summary_cached(v_me, st.name, 'share')).depth = 4);
end
$$;

-- Whether the acting user holds share on one record (the record_share and
-- field_share views ask this for rows not covered by the sets above). A record
-- the user cannot share answers false whether it exists or not.
create function rowscope._sv_can_share(p_table text, p_record uuid) returns boolean
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._sv_me();
  s record;
  f record;
begin
  if v_me is null or not exists (select from rowscope.secured_table where name = p_table) then
    return false;
  end if;
  s := rowscope._grant_summary_cached(v_me, p_table, 'share');
  if s.depth = 0 then
    return false;
  elsif s.depth = 4 then
    return true;
  end if;
  f := rowscope._record_facts(p_table, p_record);
  return f.present and rowscope._has_right(v_me, p_table, 'share', p_record, f.owner_id, f.owning_business_unit);
end
$$;
