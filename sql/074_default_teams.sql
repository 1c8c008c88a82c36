-- Default business-unit teams (SPEC §2 "Default business-unit teams"): every BU
-- has one owner team, named after it, whose members are exactly the BU's users.
-- create_business_unit makes it (sql/070), create_user and move_user keep its
-- members (sql/071), add/remove_team_member refuse it (sql/072). It holds roles
-- and profiles and owns records like any owner team.

create function rowscope._create_default_team(p_business_unit uuid) returns uuid
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_id uuid;
  v_name text;
begin
  select id into v_id from rowscope.team where business_unit_id = p_business_unit and is_default;
  if found then
    return v_id;
  end if;
  select name into v_name from rowscope.business_unit where id = p_business_unit;
  insert into rowscope.principal (kind) values ('team') returning id into v_id;
  insert into rowscope.team (id, name, business_unit_id, team_type, is_default)
  values (v_id, v_name, p_business_unit, 'owner', true);
  return v_id;
end
$$;

-- A user in (or moving into) the BU receives its default team's roles and
-- profiles, so the caller needs what assign_role and add_profile_member need
-- for each of them (no indirect escalation: sql/073 _require_no_escalation,
-- sql/320 _require_profile_grant). The deployment administrator passes.
create function rowscope._require_default_team_grant(p_business_unit uuid) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_team uuid;
  r rowscope.security_role;
  p record;
begin
  if rowscope._is_deployment_admin() then
    return;
  end if;
  select id into v_team from rowscope.team where business_unit_id = p_business_unit and is_default;
  if v_team is null then
    return;
  end if;
  for r in select sr.* from rowscope.role_assignment ra join rowscope.security_role sr on sr.id = ra.role_id
            where ra.principal_id = v_team order by sr.name loop
    perform rowscope._require_no_escalation(r);
  end loop;
  for p in select m.profile_id from rowscope.field_profile_member m join rowscope.field_security_profile fp on fp.id = m.profile_id
            where m.principal_id = v_team order by fp.name loop
    perform rowscope._require_profile_grant((select fp from rowscope.field_security_profile fp where fp.id = p.profile_id));
  end loop;
end
$$;

-- Moves the user's membership from the old BU's default team (null: none) to
-- the new one's.
create function rowscope._join_default_team(p_user uuid, p_from uuid, p_to uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_from is not null then
    delete from rowscope.team_member m using rowscope.team t
     where m.team_id = t.id and t.is_default and t.business_unit_id = p_from and m.user_id = p_user;
  end if;
  insert into rowscope.team_member (team_id, user_id)
  select t.id, p_user from rowscope.team t where t.is_default and t.business_unit_id = p_to
  on conflict do nothing;
end
$$;

-- Upgrade of a database made before default teams: each BU without one gets it
-- (named after the BU, or "<BU> (default team)" when a team has that name
-- already), with the BU's users as members. Idempotent; nothing to do on a
-- fresh schema.
create function rowscope._ensure_default_teams() returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  b record;
  v_team uuid;
begin
  for b in select bu.id, bu.name from rowscope.business_unit bu
            where not exists (select from rowscope.team t where t.business_unit_id = bu.id and t.is_default)
            order by bu.name loop
    insert into rowscope.principal (kind) values ('team') returning id into v_team;
    insert into rowscope.team (id, name, business_unit_id, team_type, is_default)
    values (v_team,
            case when exists (select from rowscope.team t where t.name = b.name and t.record_id is null)
                 then left(b.name, 140) || ' (default team)' else b.name end,
            b.id, 'owner', true);
    insert into rowscope.team_member (team_id, user_id)
    select v_team, u.id from rowscope.system_user u where u.business_unit_id = b.id
    on conflict do nothing;
  end loop;
end
$$;
revoke all on function rowscope._ensure_default_teams() from public;
-- (an upgrade from a version without default teams calls it again once the
-- old data is copied: sql/upgrade/30_finish.sql)
select rowscope._ensure_default_teams();
