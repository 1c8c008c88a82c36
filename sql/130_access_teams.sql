-- Access teams (docs/security-model.md): a model table declares templates (name + rights); a
-- record's access team for a template is a team of type 'access' bound to that
-- record, shared the template's rights on it. Members get exactly those rights
-- on that one record.

create table rowscope.access_team_template (
  table_name text not null,
  name text not null,
  rights text[] not null,
  primary key (table_name, name)
);

create function rowscope._template_rights(p_table text, p_template text) returns text[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_rights text[];
begin
  select rights into v_rights from rowscope.access_team_template where table_name = p_table and name = p_template;
  if v_rights is null then
    perform rowscope._bad_argument(format('template: %s has no access team template %L', p_table, p_template));
  end if;
  return v_rights;
end
$$;

create function rowscope.add_access_team_member(table_name text, record_id uuid, template text, user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_variable
declare
  v_rights text[] := rowscope._template_rights(table_name, template);
  f record := rowscope._readable_record(table_name, record_id);
  u rowscope.system_user := rowscope._user_row(user_id, 'user_id');
  v_team uuid;
  v_right text;
begin
  perform rowscope._require_share_rights(table_name, record_id, v_rights, f.owner_id, f.owning_business_unit);
  -- the member must hold each template right at user depth or wider (rule 3)
  foreach v_right in array v_rights loop
    if rowscope._max_depth(u.id, table_name, v_right) < 1 then
      raise exception 'rowscope: % cannot join the % access team of % %: % holds no % privilege on % (needs at least user depth)',
        u.db_role, template, table_name, record_id, u.db_role, v_right, table_name
        using errcode = '42501', hint = format('give %s a role with %s on %s first', u.db_role, v_right, table_name);
    end if;
  end loop;
  select t.id into v_team from rowscope.team t
   where t.record_table = table_name and t.record_id = add_access_team_member.record_id and t.template = add_access_team_member.template;
  if v_team is null then
    insert into rowscope.principal (kind) values ('team') returning id into v_team;
    insert into rowscope.team (id, name, business_unit_id, team_type, record_table, record_id, template)
    values (v_team, format('%s for %s %s', template, table_name, record_id),
            coalesce(f.owning_business_unit, rowscope.root_business_unit()), 'access', table_name, record_id, template);
    insert into rowscope.record_share (table_name, record_id, principal_id, rights, shared_by)
    values (table_name, record_id, v_team, v_rights, rowscope._current_user_id());
  else
    -- the team holds its template's share only (grant_access and the others
    -- refuse it as principal: sql/072), but a member gets whatever it holds, so
    -- the caller must be able to give all of it (defence in depth)
    perform rowscope._require_team_holdings_grantable(v_team);
  end if;
  insert into rowscope.team_member (team_id, user_id) values (v_team, u.id) on conflict do nothing;
end
$$;

create function rowscope.remove_access_team_member(table_name text, record_id uuid, template text, user_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_variable
declare
  v_rights text[] := rowscope._template_rights(table_name, template);
  f record := rowscope._readable_record(table_name, record_id);
  u rowscope.system_user := rowscope._user_row(user_id, 'user_id');
begin
  if not rowscope._is_deployment_admin() then
    perform rowscope._require_right(rowscope._current_user_id(), table_name, 'share', record_id, f.owner_id, f.owning_business_unit);
  end if;
  delete from rowscope.team_member m
   using rowscope.team t
   where m.team_id = t.id and m.user_id = u.id and t.record_table = table_name
     and t.record_id = remove_access_team_member.record_id and t.template = remove_access_team_member.template;
end
$$;
