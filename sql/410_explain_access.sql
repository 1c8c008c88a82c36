-- explain_access (docs/reference.md): for each right, every path that grants it, and for a
-- denial every reason plus a change that grants it (sql/415), in words a
-- person can act on. A right counts only where it can be used (sql/415
-- _usable_right: write and the like need read on the record). Then the field
-- view: per secured column, read and update. It never shows a secured value.

-- Paths that grant p_right on the record (empty when none).
create function rowscope._grant_paths(p_user uuid, p_table text, p_right text, p_record uuid,
                                      p_owner uuid, p_owning_bu uuid) returns text[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  g record;
  s record;
  v_paths text[] := '{}';
  v_depth smallint := rowscope._max_depth(p_user, p_table, p_right);
  v_reports uuid[] := rowscope._hierarchy_reports(p_user, p_table, p_right);
  v_level int;
  v_via text;
begin
  for g in select * from rowscope._grants(p_user, p_table, p_right) order by depth desc, role_name loop
    v_via := case when g.team_id is null then '' else ' through ' || rowscope._principal_label(g.team_id) end;
    if g.depth = 4 then
      v_paths := v_paths || format('role %s (organization depth%s) covers every %s record', g.role_name, v_via, p_table);
    elsif g.depth in (2, 3) and p_owning_bu is not null and (p_owning_bu = g.business_unit_id
          or (g.depth = 3 and exists (select from rowscope.bu_closure c where c.ancestor_id = g.business_unit_id and c.descendant_id = p_owning_bu))) then
      v_paths := v_paths || format('role %s (%s depth, BU %s%s) covers owning BU %s', g.role_name, rowscope._depth_name(g.depth),
                                   rowscope._bu_label(g.business_unit_id), v_via, rowscope._bu_label(p_owning_bu));
    elsif p_owner = any (g.owners) then
      v_paths := v_paths || format('role %s (%s depth%s) covers records owned by %s%s', g.role_name, rowscope._depth_name(g.depth), v_via,
                                   rowscope._principal_label(p_owner),
                                   case when p_owner = p_user then ' (the user)' when g.team_id is null then ', a team the user belongs to' else '' end);
    end if;
  end loop;
  if v_depth > 0 then
    for s in
      select sh.*, t.team_type, t.template
      from rowscope.record_share sh left join rowscope.team t on t.id = sh.principal_id
      where sh.table_name = p_table and sh.record_id = p_record and p_right = any (sh.rights)
        and sh.principal_id = any (array[p_user] || rowscope._all_teams(p_user))
      order by sh.id
    loop
      if s.team_type = 'access' and s.template is not null then
        v_paths := v_paths || format('member of the %s access team of this record (%s)', s.template, array_to_string(s.rights, ', '));
      else
        v_paths := v_paths || format('shared with %s%s (%s)%s',
          case when s.principal_id = p_user then 'the user' else rowscope._principal_label(s.principal_id) end,
          case when s.shared_by is null then '' else ' by ' || rowscope._principal_label(s.shared_by) end,
          array_to_string(s.rights, ', '),
          case when s.inherited_from_record is null then '' else format(', inherited from %s %s', s.inherited_from_table, s.inherited_from_record) end);
      end if;
    end loop;
  end if;
  if v_depth > 0 and p_right = 'read' then
    -- reparent inheritance (sql/145): "owner of parent account 0f3…"
    for s in
      select o.parent_table, o.parent_id, o.principal_id, o.column_name from rowscope.parent_owner_read o
      where o.table_name = p_table and o.record_id = p_record
        and o.principal_id = any (array[p_user] || rowscope._owner_teams(p_user))
      order by o.column_name
    loop
      v_paths := v_paths || format('owner of parent %s %s (%s)%s', s.parent_table, s.parent_id, s.column_name,
        case when s.principal_id = p_user then '' else ' through ' || rowscope._principal_label(s.principal_id) end);
    end loop;
  end if;
  if cardinality(v_reports) > 0 then
    if p_owner = any (rowscope._hierarchy_owners(v_reports)) then
      v_level := rowscope._hierarchy_level(p_user, p_owner);
      v_paths := v_paths || format('%s, %s (level %s)',
        case when rowscope._setting_value('hierarchyModel') #>> '{}' = 'position' then 'a higher position than the owner' else 'manager of the owner' end,
        rowscope._principal_label(p_owner), coalesce(v_level::text, '?'));
    end if;
    if p_record = any (rowscope._hierarchy_shared(v_reports, p_table, p_right)) then
      v_paths := v_paths || format('shared with a report of the user (%s), reached through the hierarchy', p_right);
    end if;
  end if;
  return v_paths;
end
$$;

-- Level of p_report (or a team it belongs to) below p_user in the active hierarchy.
create function rowscope._hierarchy_level(p_user uuid, p_owner uuid) returns int
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select min(distance) from (
    select c.distance from rowscope.manager_closure c
    where c.ancestor_id = p_user and (c.descendant_id = p_owner
          or c.descendant_id in (select m.user_id from rowscope.team_member m where m.team_id = p_owner))
      and coalesce(rowscope._setting_value('hierarchyModel') #>> '{}', 'none') = 'manager'
    union all
    select c.distance from rowscope.system_user me
    join rowscope.position_closure c on c.ancestor_id = me.position_id
    join rowscope.system_user p on p.position_id = c.descendant_id
    where me.id = p_user and (p.id = p_owner or p.id in (select m.user_id from rowscope.team_member m where m.team_id = p_owner))
      and coalesce(rowscope._setting_value('hierarchyModel') #>> '{}', 'none') = 'position'
  ) s
$$;

-- Reasons for a denial, then the fix: steps that together grant the right
-- (sql/415 _fix_steps; rowscope.explain_fix gives them as statements).
create function rowscope._denial_reasons(p_user uuid, p_table text, p_right text, p_record uuid,
                                         p_owner uuid, p_owning_bu uuid) returns text[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  u rowscope.system_user;
  st rowscope.secured_table := rowscope._model_table(p_table);
  v_reasons text[] := array[rowscope._missing_reason(p_user, p_table, p_right, p_owner, p_owning_bu)];
  v_shares text;
begin
  select * into u from rowscope.system_user where id = p_user;
  if not u.is_disabled and rowscope._mode_allows(p_user, p_table, p_right) then
    select string_agg(format('%s (%s)', rowscope._principal_label(s.principal_id), array_to_string(s.rights, ', ')), '; ')
      into v_shares
      from rowscope.record_share s
     where s.table_name = p_table and s.record_id = p_record and p_right = any (s.rights)
       and s.principal_id = any (array[p_user] || rowscope._all_teams(p_user));
    if v_shares is not null and rowscope._max_depth(p_user, p_table, p_right) = 0 then
      v_reasons := v_reasons || format('the record is shared with %s but a share counts only while %s holds %s on %s at user depth or wider',
                                       v_shares, u.db_role, p_right, p_table);
    end if;
    if p_right in ('delete', 'assign', 'share') and st.hierarchy_security
       and rowscope._hierarchy_level(p_user, p_owner) is not null then
      v_reasons := v_reasons || format('hierarchy never gives %s', p_right);
    end if;
    if rowscope._needs_read(p_right) and not rowscope._has_right(p_user, p_table, 'read', p_record, p_owner, p_owning_bu) then
      v_reasons := v_reasons || format('%s needs read on the record too, which %s lacks', p_right, u.db_role);
    end if;
  end if;
  return v_reasons || coalesce(rowscope._fix_line(p_user, p_table, p_right, p_record, p_owner, p_owning_bu),
                               'fix: none found; report this explanation as a rowscope bug');
end
$$;

create function rowscope.explain_access(table_name text, record_id uuid, user_id uuid default null)
returns table (access_right text, granted boolean, reasons text[])
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_variable
declare
  v_subject uuid := rowscope._subject_user(user_id);
  f record := rowscope._readable_record(table_name, record_id);
  st rowscope.secured_table := rowscope._model_table(table_name);
  v_right text;
  v_paths text[];
  v_col text;
begin
  foreach v_right in array rowscope._record_rights() loop
    access_right := v_right;
    granted := rowscope._usable_right(v_subject, table_name, v_right, record_id, f.owner_id, f.owning_business_unit);
    if granted then
      v_paths := rowscope._grant_paths(v_subject, table_name, v_right, record_id, f.owner_id, f.owning_business_unit);
      reasons := case when cardinality(v_paths) > 0 then v_paths else array['granted'] end;
    elsif rowscope._has_right(v_subject, table_name, v_right, record_id, f.owner_id, f.owning_business_unit) then
      reasons := rowscope._unusable_reasons(v_subject, table_name, v_right, record_id, f.owner_id, f.owning_business_unit);
    else
      reasons := rowscope._denial_reasons(v_subject, table_name, v_right, record_id, f.owner_id, f.owning_business_unit);
    end if;
    return next;
  end loop;
  -- the field view: never the values, only whether and why
  foreach v_col in array st.secured_columns loop
    foreach v_right in array array['read', 'update'] loop
      access_right := format('%s field %s', v_right, v_col);
      granted := rowscope._field_permission(v_subject, table_name, v_col, record_id, v_right);
      reasons := rowscope._field_reasons(v_subject, table_name, v_col, record_id, v_right, granted);
      return next;
    end loop;
  end loop;
end
$$;

-- The field view of explain_access: read / update of a secured column for the
-- subject, from the same function the masking and the field guard use.
create function rowscope._field_permission(p_user uuid, p_table text, p_column text, p_record uuid, p_permission text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._field_allows(p_user, p_table, p_column, p_record, p_permission)
$$;

create function rowscope._field_reasons(p_user uuid, p_table text, p_column text, p_record uuid,
                                        p_permission text, p_granted boolean) returns text[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select case
    when rowscope._field_is_system_administrator(p_user, p_table, case p_permission when 'read' then 'read' else 'write' end)
      then array['System Administrator reads and writes every secured column']
    when p_granted then array(
      select format('profile %s grants %s on %s.%s%s', p.name, p_permission, p_table, p_column,
                    case when m.principal_id = p_user then '' else ' through ' || rowscope._principal_label(m.principal_id) end)
      from rowscope.field_profile_member m
      join rowscope.field_security_profile p on p.id = m.profile_id
      join rowscope.field_profile_column c on c.profile_id = m.profile_id and c.table_name = p_table and c.column_name = p_column
      where m.principal_id = any (rowscope._field_principals(p_user))
        and case p_permission when 'read' then c.can_read else c.can_update end
      union all
      select format('field %s of this record shared with %s (%s)', p_column,
                    case when s.principal_id = p_user then 'the user' else rowscope._principal_label(s.principal_id) end, p_permission)
      from rowscope.field_share s
      where s.table_name = p_table and s.column_name = p_column and s.record_id = p_record
        and s.principal_id = any (rowscope._field_principals(p_user))
        and case p_permission when 'read' then s.can_read else s.can_update end)
    else array[
      format('no field security profile of %s grants %s on %s.%s, and no field share of it on this record',
             rowscope._user_label(p_user), p_permission, p_table, p_column),
      format('fix: add %s to a profile granting %s on %s.%s (rowscope.add_profile_member), or share the field (rowscope.share_field)',
             rowscope._user_label(p_user), p_permission, p_table, p_column)]
  end
$$;
