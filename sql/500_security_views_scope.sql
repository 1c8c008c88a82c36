-- What the security data views (sql/510..550) filter by, for the acting user.
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
-- shares, memberships and role assignments they always see. Empty for a
-- disabled user or a role that is no user (not {null}).
create function rowscope._sv_my_principals() returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select case when me.id is null then '{}'::uuid[] else array[me.id] || coalesce(rowscope._all_teams(me.id), '{}') end
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

-- The shares (of p_share_table: record_share or field_share) of records the
-- acting user holds share on at user, business_unit or parent_child depth
-- (organization depth: rowscope._sv_share_org_tables). One set-based query per
-- model table, joining the shares with the data table's owner and owning BU,
-- compared with the user's share access sets (sql/045); the views probe the
-- result as a hashed sub-plan, once per statement. A per-row lookup of each
-- shared record cost 2.7 s for 20,000 shares (see sql/650_ddl_security_views.sql).
create function rowscope._sv_shareable(p_share_table text) returns table (table_name text, record_id uuid)
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._sv_me();
  st rowscope.secured_table;
  v_depth smallint;
begin
  if v_me is null or p_share_table not in ('record_share', 'field_share') then
    return;
  end if;
  for st in select * from rowscope.secured_table t where t.ownership = 'user' order by t.name loop
    v_depth := (rowscope._grant_summary_cached(v_me, st.name, 'share')).depth;
    continue when v_depth = 0 or v_depth = 4;
    return query execute format(
      'select distinct x.table_name, x.record_id from rowscope.%I x join %I.%I d on d.id = x.record_id
        where x.table_name = $1
          and (d.owner_id = any ($2) or d.owning_business_unit = any ($3) or d.id = any ($4))',
      p_share_table, st.data_schema, st.name)
      using st.name, rowscope.scope_owners(st.name, 'share'), rowscope.scope_bus(st.name, 'share'),
            rowscope.scope_records(st.name, 'share');
  end loop;
end
$$;
