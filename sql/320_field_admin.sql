-- Profile membership and field shares (docs/reference.md).
--
-- Membership is security data guarded by the built-in table
-- field_security_profile: the caller needs `write` on it. Profiles are
-- organization-wide objects (in Dataverse the profile entity is
-- organization-owned and its privilege has no other depth), so `write` at any
-- depth above none counts; System Administrator and the deployment
-- administrator always pass.

create function rowscope._profile_row(p_profile text) returns rowscope.field_security_profile
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  p rowscope.field_security_profile;
begin
  select * into p from rowscope.field_security_profile where name = p_profile;
  if not found then
    perform rowscope._bad_argument(format('profile: no field security profile named %L', p_profile));
  end if;
  return p;
end
$$;

create function rowscope._require_profile_admin(p_profile text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
begin
  if rowscope._is_deployment_admin() then
    return;
  end if;
  if v_me is null or rowscope._max_depth(v_me, 'field_security_profile', 'write') = 0 then
    perform rowscope._refuse(v_me, 'write', 'field_security_profile', 'profile ' || p_profile,
                             rowscope._missing_reason(v_me, 'field_security_profile', 'write', null, null));
  end if;
end
$$;

-- What giving a profile to a principal needs, also when it is given through a
-- team (sql/072 add_team_member): `write` on field_security_profile, and,
-- unless the caller is System Administrator, the caller's own holding (through
-- their profiles) of every column permission the profile grants. Without the
-- second part an admin of profiles could hand out a column they cannot read
-- (issue 14, F2); a field share is per record, so it does not count.
create function rowscope._require_profile_grant(p rowscope.field_security_profile) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
  c record;
  v_perm text;
begin
  perform rowscope._require_profile_admin(p.name);
  if rowscope._is_deployment_admin()
     or exists (select from rowscope._grants(v_me, 'field_security_profile', 'write') g
                where g.role_name = 'system_administrator') then
    return;
  end if;
  for c in select * from rowscope.field_profile_column where profile_id = p.id order by table_name, column_name loop
    foreach v_perm in array array['read', 'create', 'update'] loop
      continue when not case v_perm when 'read' then c.can_read when 'create' then c.can_create else c.can_update end;
      if not rowscope._field_profile_allows(v_me, c.table_name, c.column_name, v_perm) then
        perform rowscope._refuse(v_me, format('%s of column %s.%s', v_perm, c.table_name, c.column_name),
          'field_security_profile', 'profile ' || p.name,
          format('profile %s grants %s on %s.%s, which no profile of the user gives them; only a System Administrator gives column permissions they do not hold',
                 p.name, v_perm, c.table_name, c.column_name));
      end if;
    end loop;
  end loop;
end
$$;

create function rowscope.add_profile_member(profile text, principal_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  p rowscope.field_security_profile := rowscope._profile_row(profile);
begin
  -- a record's access team changes only through add_access_team_member (sql/072)
  perform rowscope._refuse_record_team_principal(principal_id, 'add');
  perform rowscope._require_principal(principal_id, 'principal_id');
  perform rowscope._require_profile_grant(p);
  insert into rowscope.field_profile_member (profile_id, principal_id, added_by)
  values (p.id, add_profile_member.principal_id, rowscope._current_user_id())
  on conflict do nothing;
end
$$;

create function rowscope.remove_profile_member(profile text, principal_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  p rowscope.field_security_profile := rowscope._profile_row(profile);
begin
  perform rowscope._require_principal(principal_id, 'principal_id');
  perform rowscope._require_profile_admin(p.name);
  delete from rowscope.field_profile_member m where m.profile_id = p.id and m.principal_id = remove_profile_member.principal_id;
end
$$;

-- Shares (or, with both flags false, unshares) one column of one record. The
-- caller needs `share` on the record and must hold what they give: read on the
-- column, and update to give update. A record the caller cannot read is
-- reported like one that does not exist.
create function rowscope.share_field(table_name text, record_id uuid, column_name text, principal_id uuid,
                                     can_read boolean, can_update boolean) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_variable
declare
  st rowscope.secured_table;
  v_me uuid := rowscope._current_user_id();
  v_admin boolean := rowscope._is_deployment_admin();
  v_owner uuid;
  v_bu uuid;
  v_found boolean;
  v_label text;
begin
  -- a record's access team holds its template's share only (sql/072)
  perform rowscope._refuse_record_team_principal(principal_id, 'add');
  select * into st from rowscope.secured_table s where s.name = table_name;
  if not found then
    perform rowscope._bad_argument(format('table_name: %L is not a table of the model', table_name));
  end if;
  if column_name is null or not column_name = any (st.secured_columns) then
    perform rowscope._bad_argument(format('column_name: %L is not a secured column of %s', column_name, table_name));
  end if;
  if can_read is null or can_update is null then
    perform rowscope._bad_argument('can_read, can_update: give true or false');
  end if;
  perform rowscope._require_principal(principal_id, 'principal_id');
  if v_me is null and not v_admin then
    perform rowscope._refuse(null, 'share', table_name, record_id::text, format('role %s is no rowscope user', rowscope._identity()));
  end if;
  if st.ownership = 'user' then
    execute format('select true, owner_id, owning_business_unit from %I.%I where id = $1', st.data_schema, st.name)
      into v_found, v_owner, v_bu using record_id;
  else
    execute format('select true from %I.%I where id = $1', st.data_schema, st.name) into v_found using record_id;
  end if;
  if v_found is null or (not v_admin and not rowscope._has_right(v_me, table_name, 'read', record_id, v_owner, v_bu)) then
    perform rowscope._bad_argument(format('record_id: no such record %s in %s', coalesce(record_id::text, 'null'), table_name));
  end if;
  if not v_admin then
    perform rowscope._require_right(v_me, table_name, 'share', record_id, v_owner, v_bu);
    v_label := format('%s (column %s)', record_id, column_name);
    if not rowscope._field_allows(v_me, table_name, column_name, record_id, 'read') then
      perform rowscope._refuse(v_me, 'share of column ' || column_name, table_name, v_label,
        format('the user cannot read %s.%s themselves: no field security profile or field share gives them read', table_name, column_name));
    end if;
    if can_update and not rowscope._field_allows(v_me, table_name, column_name, record_id, 'update') then
      perform rowscope._refuse(v_me, 'share of column ' || column_name, table_name, v_label,
        format('the user cannot update %s.%s themselves, so cannot share update', table_name, column_name));
    end if;
  end if;
  if not can_read and not can_update then
    delete from rowscope.field_share s
     where s.table_name = table_name and s.record_id = record_id and s.column_name = column_name and s.principal_id = principal_id;
  else
    insert into rowscope.field_share as s (table_name, record_id, column_name, principal_id, can_read, can_update, shared_by)
    values (table_name, record_id, column_name, principal_id, can_read, can_update, v_me)
    on conflict on constraint field_share_unique
    do update set can_read = excluded.can_read, can_update = excluded.can_update,
                  shared_by = excluded.shared_by, shared_on = now();
  end if;
end
$$;
