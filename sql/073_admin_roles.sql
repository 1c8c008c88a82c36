-- Role assignment (docs/reference.md). Assigning or removing a role needs write on the
-- principal (system_user or team, scope covering it) and read on security_role,
-- and never escalates: the caller must hold every privilege of the role at the
-- role's depth or wider, and its misc privileges (System Administrator excepted).

create function rowscope._role_row(p_name text) returns rowscope.security_role
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  r rowscope.security_role;
begin
  select * into r from rowscope.security_role where name = p_name;
  if not found then
    perform rowscope._bad_argument(format('role_name: no such security role %L', p_name));
  end if;
  return r;
end
$$;

-- The principal's kind, BU and a label; refuses access teams (they hold no roles).
create function rowscope._require_principal_admin(p_principal uuid, p_privilege text, out kind text, out business_unit_id uuid, out label text)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  u rowscope.system_user;
  t rowscope.team;
begin
  select * into u from rowscope.system_user where id = p_principal;
  if found then
    -- sql/071: a refusal names the user's login only to a caller who may read them
    perform rowscope._require_user_admin(p_privilege, u.id, 'principal_id');
    kind := 'user'; business_unit_id := u.business_unit_id; label := u.db_role;
    return;
  end if;
  select * into t from rowscope.team where id = p_principal;
  if not found then
    perform rowscope._bad_argument(format('principal_id: no such user or team %s', coalesce(p_principal::text, 'null')));
  end if;
  if t.team_type = 'access' then
    perform rowscope._bad_argument(format('principal_id: %s is an access team; access teams hold no roles', t.name));
  end if;
  perform rowscope._require_admin('team', p_privilege, 'team ' || t.name, t.id, t.business_unit_id);
  kind := 'team'; business_unit_id := t.business_unit_id; label := 'team ' || t.name;
end
$$;

create function rowscope._require_no_escalation(p_role rowscope.security_role) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid;
  p record;
begin
  if rowscope._is_deployment_admin() then
    return;
  end if;
  v_me := rowscope._current_user_id();
  if exists (select from rowscope._grants(v_me, 'security_role', 'write') g where g.role_name = 'system_administrator') then
    return;
  end if;
  if p_role.name = 'system_administrator' then
    raise exception 'rowscope: % may not assign role system_administrator: only a System Administrator may', rowscope._user_label(v_me)
      using errcode = '42501';
  end if;
  perform rowscope._require_right(v_me, 'security_role', 'read', null, null, null, 'role ' || p_role.name);
  for p in select * from rowscope.role_privilege where role_id = p_role.id and depth > 0 order by table_name, privilege loop
    if rowscope._max_depth(v_me, p.table_name, p.privilege) < p.depth then
      raise exception 'rowscope: % may not assign role %: it grants % on % at % depth and % holds it at % depth',
        rowscope._user_label(v_me), p_role.name, p.privilege, p.table_name, rowscope._depth_name(p.depth),
        rowscope._user_label(v_me), rowscope._depth_name(rowscope._max_depth(v_me, p.table_name, p.privilege))
        using errcode = '42501', hint = 'no privilege escalation: only assign roles whose privileges you hold yourself';
    end if;
  end loop;
  for p in select * from rowscope.role_misc_privilege where role_id = p_role.id order by name loop
    if not rowscope._holds_misc(v_me, p.name) then
      raise exception 'rowscope: % may not assign role %: it grants misc privilege % which % does not hold',
        rowscope._user_label(v_me), p_role.name, p.name, rowscope._user_label(v_me)
        using errcode = '42501';
    end if;
  end loop;
end
$$;

-- The BU an assignment is stored with: null means "the principal's own BU" and
-- follows the principal when it moves. Another BU needs ownershipAcrossBusinessUnits.
create function rowscope._assignment_bu(p_principal_bu uuid, p_given uuid) returns uuid
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_given is null or p_given = p_principal_bu then
    return null;
  end if;
  perform rowscope._check_business_unit(p_given, 'business_unit_id');
  if not rowscope._setting_bool('ownershipAcrossBusinessUnits', false) then
    perform rowscope._bad_argument('business_unit_id: a role can be assigned in another business unit only with the model option ownershipAcrossBusinessUnits');
  end if;
  return p_given;
end
$$;

create function rowscope.assign_role(principal_id uuid, role_name text, business_unit_id uuid default null,
                                     inheritance text default 'team_only') returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  r rowscope.security_role := rowscope._role_row(role_name);
  p record;
  v_bu uuid;
begin
  if inheritance is null or inheritance not in ('team_only', 'direct_user_and_team') then
    perform rowscope._bad_argument(format('inheritance: %L is not team_only or direct_user_and_team', inheritance));
  end if;
  select * into p from rowscope._require_principal_admin(principal_id, 'write');
  if p.kind = 'user' and inheritance <> 'team_only' then
    perform rowscope._bad_argument('inheritance: direct_user_and_team applies to roles assigned to owner teams');
  end if;
  perform rowscope._require_no_escalation(r);
  if p.kind = 'team' and business_unit_id is not null and business_unit_id <> p.business_unit_id then
    -- docs/security-model.md: a team role's BU context is always the team's BU
    perform rowscope._bad_argument(format('business_unit_id: a role held by %s applies in the team''s own business unit (%s); only users hold roles in other business units',
                                          p.label, rowscope._bu_label(p.business_unit_id)));
  end if;
  v_bu := rowscope._assignment_bu(p.business_unit_id, business_unit_id);
  insert into rowscope.role_assignment as a (principal_id, role_id, business_unit_id, inheritance)
    values (assign_role.principal_id, r.id, v_bu, assign_role.inheritance)
    on conflict (principal_id, role_id, business_unit_id) do update set inheritance = excluded.inheritance
    where a.inheritance is distinct from excluded.inheritance;
end
$$;

create function rowscope.remove_role(principal_id uuid, role_name text, business_unit_id uuid default null) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  r rowscope.security_role := rowscope._role_row(role_name);
  p record;
  v_bu uuid;
begin
  select * into p from rowscope._require_principal_admin(principal_id, 'write');
  perform rowscope._require_no_escalation(r);
  -- compare the BU each assignment applies in (null: the principal's own BU), so
  -- an assignment made in a BU the principal has since moved into is found too
  v_bu := coalesce(business_unit_id, p.business_unit_id);
  delete from rowscope.role_assignment a
   where a.principal_id = remove_role.principal_id and a.role_id = r.id
     and coalesce(a.business_unit_id, p.business_unit_id) = v_bu;
  if not found then
    perform rowscope._bad_argument(format('role_name: %s does not hold role %s in BU %s', p.label, role_name,
      rowscope._bu_label(v_bu)));
  end if;
end
$$;

-- Misc privileges (docs/security-model.md): named privileges not about a table.
create function rowscope._holds_misc(p_user uuid, p_name text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._mode_allows(p_user, 'security_role', 'read') and exists (
    select from rowscope.role_assignment ra
    join rowscope.security_role r on r.id = ra.role_id
    left join rowscope.role_misc_privilege m on m.role_id = r.id and m.name = p_name
    where (ra.principal_id = p_user or ra.principal_id = any (rowscope._owner_teams(p_user)))
      and (m.name is not null or (r.is_builtin and r.name = 'system_administrator')))
$$;

create function rowscope.has_privilege(name text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce(rowscope._holds_misc(rowscope._current_user_id(), name), false)
$$;
