-- Access sets: for a user, a table and a privilege, every role assignment that
-- gives it (docs/security-model.md rule 2) with the scope it covers. The read policies turn
-- these into arrays once per statement (InitPlans); the write triggers and
-- check_access test one record against the same sets. One source of truth.

-- Whether the user's state and access mode allow the privilege at all (rule 1).
create function rowscope._mode_allows(p_user uuid, p_table text, p_privilege text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce((
    select not u.is_disabled and case u.access_mode
      when 'administrative' then p_table = any (rowscope._builtin_tables())
      when 'read' then p_privilege = 'read'
      else true end
    from rowscope.system_user u where u.id = p_user), false)
$$;

-- Owner teams the user belongs to.
create function rowscope._owner_teams(p_user uuid) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(m.team_id order by m.team_id), '{}')
  from rowscope.team_member m join rowscope.team t on t.id = m.team_id and t.team_type = 'owner'
  where m.user_id = p_user
$$;

-- Every team (owner or access) the user belongs to: shares reach through both.
create function rowscope._all_teams(p_user uuid) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(m.team_id order by m.team_id), '{}')
  from rowscope.team_member m where m.user_id = p_user
$$;

-- One row per role assignment that gives the privilege on the table at depth > none:
-- the role, its depth, the BU context B, the owner team it came through (null:
-- held directly) and the owners its user-depth scope covers.
create function rowscope._role_grants(p_user uuid, p_table text, p_privilege text)
returns table (role_name text, depth smallint, business_unit_id uuid, team_id uuid, owners uuid[])
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  with me as (
    select u.id, u.business_unit_id from rowscope.system_user u
    where u.id = p_user
  ), teams as (
    select t.id, t.business_unit_id from rowscope.team t
    where t.id = any (rowscope._owner_teams(p_user))
  ), held as (
    -- roles held directly: user depth covers U and every owner team of U (any BU)
    select ra.role_id, coalesce(ra.business_unit_id, me.business_unit_id) as bu, null::uuid as team_id,
           array[me.id] || rowscope._owner_teams(me.id) as owners
    from me join rowscope.role_assignment ra on ra.principal_id = me.id
    union all
    -- roles held through an owner team: B is the team's BU; user depth covers the
    -- team's records, and U's own with direct_user_and_team
    select ra.role_id, coalesce(ra.business_unit_id, t.business_unit_id), t.id,
           case when ra.inheritance = 'direct_user_and_team' then array[t.id, me.id] else array[t.id] end
    from me cross join teams t join rowscope.role_assignment ra on ra.principal_id = t.id
  )
  select r.name, case when r.is_builtin and r.name = 'system_administrator' then 4::smallint else p.depth end,
         h.bu, h.team_id, h.owners
  from held h
  join rowscope.security_role r on r.id = h.role_id
  left join rowscope.role_privilege p
    on p.role_id = h.role_id and p.table_name = p_table and p.privilege = p_privilege
  where (r.is_builtin and r.name = 'system_administrator') or p.depth > 0
$$;

-- The grants that count now: the role grants while rule 1 (enabled, access
-- mode) lets the user exercise the privilege at all. explain_fix (sql/415)
-- reads _role_grants itself: what the roles give once the user is enabled.
create function rowscope._grants(p_user uuid, p_table text, p_privilege text)
returns table (role_name text, depth smallint, business_unit_id uuid, team_id uuid, owners uuid[])
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select g.* from rowscope._role_grants(p_user, p_table, p_privilege) g
  where rowscope._mode_allows(p_user, p_table, p_privilege)
$$;

-- What the policies, the row guard and the class refresh need from the grants,
-- in one query (plpgsql: its plan is cached for the session; these helpers run
-- in the InitPlans of every read): the widest depth (0: none, or the user's
-- state or access mode allows nothing), the owners user depth covers, the BUs
-- held at business_unit depth and the BUs held at parent_child depth (roots).
-- Same rows as _grants, which explain and the refusals keep using.
create function rowscope._grant_summary(p_user uuid, p_table text, p_privilege text,
                                        out depth smallint, out owners uuid[], out bus uuid[], out deep_bus uuid[])
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_bu uuid;
  v_teams uuid[];
  v_direct boolean;
  v_team_owners uuid[];
  v_user_too boolean;
begin
  depth := 0; owners := '{}'; bus := '{}'; deep_bus := '{}';
  -- rule 1: enabled, and the access mode allows the privilege
  select u.business_unit_id into v_bu from rowscope.system_user u
  where u.id = p_user and not u.is_disabled
    and case u.access_mode when 'administrative' then p_table = any (rowscope._builtin_tables())
                           when 'read' then p_privilege = 'read' else true end;
  if not found then
    return;
  end if;
  select coalesce(array_agg(m.team_id order by m.team_id), '{}') into v_teams
  from rowscope.team_member m join rowscope.team t on t.id = m.team_id and t.team_type = 'owner'
  where m.user_id = p_user;
  -- roles held directly (B: the assignment's BU, else the user's) and through an
  -- owner team (B: the team's BU); user depth covers U and U's owner teams for a
  -- direct role, the team (and U with direct_user_and_team) for a team's role
  select coalesce(max(x.d), 0), coalesce(bool_or(x.principal_id = p_user), false),
         array_agg(distinct x.principal_id) filter (where x.principal_id <> p_user),
         coalesce(bool_or(x.principal_id <> p_user and x.inheritance = 'direct_user_and_team'), false),
         coalesce(array_agg(distinct x.bu) filter (where x.d = 2), '{}'),
         coalesce(array_agg(distinct x.bu) filter (where x.d = 3), '{}')
    into depth, v_direct, v_team_owners, v_user_too, bus, deep_bus
  from (
    select ra.principal_id, ra.inheritance, coalesce(ra.business_unit_id, t.business_unit_id, v_bu) as bu,
           case when r.is_builtin and r.name = 'system_administrator' then 4::smallint else p.depth end as d
    from rowscope.role_assignment ra
    join rowscope.security_role r on r.id = ra.role_id
    left join rowscope.role_privilege p on p.role_id = ra.role_id and p.table_name = p_table and p.privilege = p_privilege
    left join rowscope.team t on t.id = ra.principal_id
    where ra.principal_id = any (array[p_user] || v_teams)
  ) x
  where x.d > 0;
  if depth > 0 then
    owners := array(select distinct o from unnest(
      case when v_direct or v_user_too then array[p_user] else '{}' end
      || case when v_direct then v_teams else '{}' end
      || coalesce(v_team_owners, '{}')) o order by o);
  end if;
end
$$;

-- The widest depth the user holds the privilege at (0 when none).
create function rowscope._max_depth(p_user uuid, p_table text, p_privilege text) returns smallint
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  return (rowscope._grant_summary(p_user, p_table, p_privilege)).depth;
end
$$;

create function rowscope._scope_org(p_user uuid, p_table text, p_privilege text) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  return (rowscope._grant_summary(p_user, p_table, p_privilege)).depth = 4;
end
$$;

-- Owners whose records are in scope (user depth and wider), with the hierarchy
-- (rule 4): the reports' own records and their owner teams' records.
create function rowscope._scope_owners(p_user uuid, p_table text, p_privilege text) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  s record := rowscope._grant_summary(p_user, p_table, p_privilege);
  v_reports uuid[];
begin
  if s.depth = 0 then
    return '{}';
  end if;
  v_reports := rowscope._hierarchy_reports_at(p_user, p_table, p_privilege, s.depth);
  if cardinality(v_reports) = 0 then
    return s.owners;
  end if;
  return array(select distinct o from unnest(s.owners || rowscope._hierarchy_owners(v_reports)) o);
end
$$;

-- Owning business units in scope: B at business_unit depth, B and its descendants
-- at parent_child depth.
create function rowscope._scope_bus(p_user uuid, p_table text, p_privilege text) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  s record := rowscope._grant_summary(p_user, p_table, p_privilege);
begin
  if cardinality(s.deep_bus) = 0 then
    return s.bus;
  end if;
  return array(select s.bus[i] from generate_subscripts(s.bus, 1) i
               union
               select c.descendant_id from rowscope.bu_closure c where c.ancestor_id = any (s.deep_bus));
end
$$;

-- Records shared with the user or any team of theirs with the right, and (read)
-- children of parents they own; a share only counts while the user holds the
-- privilege at user depth or wider (rule 3).
create function rowscope._scope_records(p_user uuid, p_table text, p_privilege text) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_depth smallint := rowscope._max_depth(p_user, p_table, p_privilege);
  v_reports uuid[];
  v_records uuid[];
begin
  if v_depth = 0 then
    return '{}';
  end if;
  select coalesce(array_agg(distinct x.record_id), '{}') into v_records
  from (
    select s.record_id from rowscope.record_share s
    where s.table_name = p_table
      and s.principal_id = any (array[p_user] || rowscope._all_teams(p_user))
      and p_privilege = any (s.rights)
    union all
    -- reparent inheritance (sql/145): children of parents the user or an owner
    -- team of theirs owns; read only, never through the hierarchy
    select o.record_id from rowscope.parent_owner_read o
    where p_privilege = 'read' and o.table_name = p_table
      and o.principal_id = any (array[p_user] || rowscope._owner_teams(p_user))
  ) x;
  -- hierarchy (rule 4): what is shared with the reports, never more than the share gives them
  v_reports := rowscope._hierarchy_reports_at(p_user, p_table, p_privilege, v_depth);
  if cardinality(v_reports) = 0 then
    return v_records;
  end if;
  return array(select distinct r from unnest(v_records || rowscope._hierarchy_shared(v_reports, p_table, p_privilege)) r);
end
$$;

-- Whether the user holds the right on one record (owner, owning BU, id).
-- Organization-owned records pass null owner and BU: only the org flag covers them.
-- The row guard calls this for every written row: the common allowed paths
-- (org, owner, BU) answer from one query, a share from one index probe of the
-- record's shares rather than the user's whole share list.
create function rowscope._has_right(p_user uuid, p_table text, p_right text,
                                    p_record uuid, p_owner uuid, p_owning_bu uuid) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  s record;
  v_reports uuid[];
begin
  -- the grant summary from the session cache (sql/045): the row guard asks this
  -- for every written row
  s := rowscope._grant_summary_cached(p_user, p_table, p_right);
  -- shares and hierarchy need user depth too (rules 3 and 4)
  if s.depth = 0 then
    return false;
  elsif s.depth = 4 then
    return true;
  elsif p_owner = any (s.owners) or p_owning_bu = any (s.bus) then
    return true;
  elsif p_owning_bu is not null and cardinality(s.deep_bus) > 0
        and exists (select from rowscope.bu_closure c where c.ancestor_id = any (s.deep_bus) and c.descendant_id = p_owning_bu) then
    return true;
  elsif p_record is not null and exists (
      select from rowscope.record_share r
      where r.table_name = p_table and r.record_id = p_record and p_right = any (r.rights)
        and (r.principal_id = p_user
             or r.principal_id in (select m.team_id from rowscope.team_member m where m.user_id = p_user))) then
    return true;
  elsif p_right = 'read' and p_record is not null and exists (
      -- reparent inheritance (sql/145): the owner of the record's parent
      select from rowscope.parent_owner_read o
      where o.table_name = p_table and o.record_id = p_record
        and (o.principal_id = p_user
             or o.principal_id in (select m.team_id from rowscope.team_member m where m.user_id = p_user))) then
    return true;
  end if;
  v_reports := rowscope._hierarchy_reports_at(p_user, p_table, p_right, s.depth);
  if cardinality(v_reports) = 0 then
    return false;
  end if;
  return coalesce(p_owner = any (rowscope._hierarchy_owners(v_reports)), false)
      or (p_record is not null and exists (
            select from rowscope.record_share r
            where r.table_name = p_table and r.record_id = p_record and p_right = any (r.rights)
              and (r.principal_id = any (v_reports)
                   or r.principal_id in (select m.team_id from rowscope.team_member m where m.user_id = any (v_reports)))));
end
$$;
