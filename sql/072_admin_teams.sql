-- Owner and access teams (SPEC §4). Guarded by privileges on the built-in table
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
  if name is null or btrim(name) = '' then
    perform rowscope._bad_argument('name: a team needs a name');
  end if;
  if team_type is null or team_type not in ('owner', 'access') then
    perform rowscope._bad_argument(format('team_type: %L is not owner or access', team_type));
  end if;
  if not exists (select from rowscope.business_unit b where b.id = create_team.business_unit_id) then
    perform rowscope._bad_argument(format('business_unit_id: no such business unit %s', coalesce(business_unit_id::text, 'null')));
  end if;
  perform rowscope._require_admin('team', 'create', 'team ' || name, null, business_unit_id);
  if exists (select from rowscope.team t where t.name = create_team.name and t.record_id is null) then
    perform rowscope._bad_argument(format('name: a team named %L exists already', name));
  end if;
  insert into rowscope.principal (kind) values ('team') returning id into v_id;
  insert into rowscope.team (id, name, business_unit_id, team_type) values (v_id, name, business_unit_id, team_type);
  return v_id;
end
$$;

create function rowscope.add_team_member(team_id uuid, user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  t rowscope.team := rowscope._team_row(team_id);
  u rowscope.system_user := rowscope._user_row(user_id, 'user_id');
begin
  perform rowscope._require_admin('team', 'write', 'team ' || t.name, t.id, t.business_unit_id);
  insert into rowscope.team_member (team_id, user_id) values (t.id, u.id) on conflict do nothing;
end
$$;

create function rowscope.remove_team_member(team_id uuid, user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  t rowscope.team := rowscope._team_row(team_id);
  u rowscope.system_user := rowscope._user_row(user_id, 'user_id');
begin
  perform rowscope._require_admin('team', 'write', 'team ' || t.name, t.id, t.business_unit_id);
  delete from rowscope.team_member m where m.team_id = t.id and m.user_id = u.id;
end
$$;
