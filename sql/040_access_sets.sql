-- Access sets: for a user, a table and a privilege, every role assignment that
-- gives it (SPEC §2 rule 2) with the scope it covers. The read policies turn
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
create function rowscope._grants(p_user uuid, p_table text, p_privilege text)
returns table (role_name text, depth smallint, business_unit_id uuid, team_id uuid, owners uuid[])
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  with me as (
    select u.id, u.business_unit_id from rowscope.system_user u
    where u.id = p_user and rowscope._mode_allows(u.id, p_table, p_privilege)
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

-- The widest depth the user holds the privilege at (0 when none).
create function rowscope._max_depth(p_user uuid, p_table text, p_privilege text) returns smallint
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(max(depth), 0)::smallint from rowscope._grants(p_user, p_table, p_privilege)
$$;

create function rowscope._scope_org(p_user uuid, p_table text, p_privilege text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (select from rowscope._grants(p_user, p_table, p_privilege) where depth = 4)
$$;

-- Owners whose records are in scope (user depth and wider); empty at organization
-- depth is fine: the org flag covers everything.
create function rowscope._scope_owners(p_user uuid, p_table text, p_privilege text) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct o), '{}') from (
    select unnest(g.owners) as o from rowscope._grants(p_user, p_table, p_privilege) g
    union all
    -- hierarchy (rule 4): the reports' own records and their owner teams' records
    select unnest(rowscope._hierarchy_owners(rowscope._hierarchy_reports(p_user, p_table, p_privilege)))
  ) s
$$;

-- Owning business units in scope: B at business_unit depth, B and its descendants
-- at parent_child depth.
create function rowscope._scope_bus(p_user uuid, p_table text, p_privilege text) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct bu), '{}') from (
    select g.business_unit_id as bu from rowscope._grants(p_user, p_table, p_privilege) g where g.depth = 2
    union all
    select c.descendant_id from rowscope._grants(p_user, p_table, p_privilege) g
    join rowscope.bu_closure c on c.ancestor_id = g.business_unit_id where g.depth = 3
  ) s
$$;

-- Records shared with the user or any team of theirs with the right; a share only
-- counts while the user holds the privilege at user depth or wider (rule 3).
create function rowscope._scope_records(p_user uuid, p_table text, p_privilege text) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(array_agg(distinct r), '{}') from (
    select s.record_id as r
    from rowscope.record_share s
    where rowscope._max_depth(p_user, p_table, p_privilege) > 0
      and s.table_name = p_table
      and s.principal_id = any (array[p_user] || rowscope._all_teams(p_user))
      and p_privilege = any (s.rights)
    union all
    -- hierarchy (rule 4): what is shared with the reports, never more than the share gives them
    select unnest(rowscope._hierarchy_shared(rowscope._hierarchy_reports(p_user, p_table, p_privilege), p_table, p_privilege))
  ) s
$$;

-- The same sets for the acting user: what the policies call. They take no user
-- argument, so nobody can read another user's access sets through them.
create function rowscope.scope_org(p_table text, p_privilege text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._scope_org(rowscope._current_user_id(), p_table, p_privilege)
$$;
create function rowscope.scope_owners(p_table text, p_privilege text) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._scope_owners(rowscope._current_user_id(), p_table, p_privilege)
$$;
create function rowscope.scope_bus(p_table text, p_privilege text) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._scope_bus(rowscope._current_user_id(), p_table, p_privilege)
$$;
create function rowscope.scope_records(p_table text, p_privilege text) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._scope_records(rowscope._current_user_id(), p_table, p_privilege)
$$;

-- Whether the user holds the right on one record (owner, owning BU, id).
-- Organization-owned records pass null owner and BU: only the org flag covers them.
create function rowscope._has_right(p_user uuid, p_table text, p_right text,
                                    p_record uuid, p_owner uuid, p_owning_bu uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  -- null arms (no owner, no BU, no record) must count as false, never as unknown
  select rowscope._scope_org(p_user, p_table, p_right)
      or coalesce(p_owner = any (rowscope._scope_owners(p_user, p_table, p_right)), false)
      or coalesce(p_owning_bu = any (rowscope._scope_bus(p_user, p_table, p_right)), false)
      or coalesce(p_record = any (rowscope._scope_records(p_user, p_table, p_right)), false)
$$;
