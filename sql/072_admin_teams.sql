-- Owner and access teams (docs/reference.md). Guarded by privileges on the built-in table
-- team; the object's owner is the team itself (user depth covers the teams one
-- belongs to) and its BU is the team's BU.

create function rowscope._team_row(p_team uuid) returns rowscope.team
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  t rowscope.team;
begin
  select * into t from rowscope.team where id = p_team;
  if not found then
    perform rowscope._bad_argument(format('team_id: no such team %s', coalesce(p_team::text, 'null')));
  end if;
  return t;
end
$$;

create function rowscope.create_team(name text, business_unit_id uuid, team_type text default 'owner') returns uuid
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  v_id uuid;
begin
  perform rowscope._check_name(name, 'team');
  if team_type is null or team_type not in ('owner', 'access') then
    perform rowscope._bad_argument(format('team_type: %L is not owner or access', team_type));
  end if;
  perform rowscope._check_business_unit(business_unit_id, 'business_unit_id');
  perform rowscope._require_admin('team', 'create', 'team ' || name, null, business_unit_id);
  if exists (select from rowscope.team t where t.name = create_team.name and t.record_id is null) then
    perform rowscope._bad_argument(format('name: a team named %L exists already', name));
  end if;
  insert into rowscope.principal (kind) values ('team') returning id into v_id;
  insert into rowscope.team (id, name, business_unit_id, team_type) values (v_id, name, business_unit_id, team_type);
  return v_id;
end
$$;

-- A record's access team (sql/130) changes only through
-- add/remove_access_team_member, which check the share right on the record and
-- the member's depth; the generic functions would skip both (issue 14, F3).
-- Refused first, before any privilege check, whoever calls.
create function rowscope._refuse_access_team_of_record(t rowscope.team, p_function text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if t.record_id is not null then
    perform rowscope._bad_argument(format('team_id: team %s is the access team of a record; use rowscope.%s_access_team_member',
                                          t.id, p_function));
  end if;
end
$$;

-- The same for the functions that take a principal (grant_access,
-- modify_access, revoke_access: sql/110; share_field: sql/320): a record's
-- access team holds its template's share and nothing else, since
-- add_access_team_member checks the caller against the template only (the
-- admin-surface property test found grant_access giving such a team more,
-- which every later member then got). 22023 before any other check.
create function rowscope._refuse_record_team_principal(p_principal uuid, p_function text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  t rowscope.team;
begin
  select * into t from rowscope.team where id = p_principal and record_id is not null;
  if found then
    perform rowscope._bad_argument(format('principal_id: team %s is the access team of a record; use rowscope.%s_access_team_member',
                                          t.id, p_function));
  end if;
end
$$;

-- A BU's default team has the BU's users as members, kept by create_user and
-- move_user (sql/074); nobody adds or removes them by hand. Refused first.
create function rowscope._refuse_default_team(t rowscope.team) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if t.is_default then
    perform rowscope._bad_argument(format('team_id: team %s is the default team of business unit %s; its members are the business unit''s users (create_user, move_user)',
                                          t.name, rowscope._bu_label(t.business_unit_id)));
  end if;
end
$$;

-- Adding a member gives them the team's roles, field security profiles, shares
-- and field shares, so it needs what giving those directly needs (no indirect
-- escalation, issue 14 F1/F2): `write` on the team; for each role of the team
-- what assign_role needs for the user (write on system_user covering them, and
-- holding the role's privileges: sql/073 _require_no_escalation); for the
-- profiles, shares and field shares what add_profile_member, grant_access and
-- share_field need (sql/135 _require_team_holdings_grantable).
create function rowscope.add_team_member(team_id uuid, user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  t rowscope.team := rowscope._team_row(team_id);
  u rowscope.system_user;
  r rowscope.security_role;
  v_user_checked boolean := false;
begin
  perform rowscope._refuse_default_team(t);
  perform rowscope._refuse_access_team_of_record(t, 'add');
  u := rowscope._user_row(add_team_member.user_id, 'user_id');
  perform rowscope._require_admin('team', 'write', 'team ' || t.name, t.id, t.business_unit_id);
  for r in select sr.* from rowscope.role_assignment ra join rowscope.security_role sr on sr.id = ra.role_id
            where ra.principal_id = t.id order by sr.name loop
    if not v_user_checked then
      perform rowscope._require_user_admin('write', u.id);
      v_user_checked := true;
    end if;
    perform rowscope._require_no_escalation(r);
  end loop;
  perform rowscope._require_team_holdings_grantable(t.id);
  insert into rowscope.team_member (team_id, user_id) values (t.id, u.id) on conflict do nothing;
end
$$;

-- Removing a member takes access away: `write` on the team is enough (the
-- access team of a record excepted, as above).
create function rowscope.remove_team_member(team_id uuid, user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  t rowscope.team := rowscope._team_row(team_id);
  u rowscope.system_user;
begin
  perform rowscope._refuse_default_team(t);
  perform rowscope._refuse_access_team_of_record(t, 'remove');
  u := rowscope._user_row(remove_team_member.user_id, 'user_id');
  perform rowscope._require_admin('team', 'write', 'team ' || t.name, t.id, t.business_unit_id);
  delete from rowscope.team_member m where m.team_id = t.id and m.user_id = u.id;
end
$$;
