-- Refusals (docs/reference.md): SQLSTATE 42501 with a message naming the user, the right,
-- the table and the record, and saying what is missing.

create function rowscope._user_label(p_user uuid) returns text
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select coalesce((select db_role::text from rowscope.system_user where id = p_user), rowscope._identity()::text)
$$;

-- Why p_user lacks p_right on a record owned by p_owner in p_owning_bu, in words a
-- person can act on.
create function rowscope._missing_reason(p_user uuid, p_table text, p_right text,
                                         p_owner uuid, p_owning_bu uuid) returns text
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  u rowscope.system_user;
  v_held text;
begin
  select * into u from rowscope.system_user where id = p_user;
  if not found then
    return format('role %s is no rowscope user', rowscope._identity());
  elsif u.is_disabled then
    return 'the user is disabled';
  elsif not rowscope._mode_allows(p_user, p_table, p_right) then
    return case u.access_mode
      when 'administrative' then 'access mode administrative gives no access to business tables'
      else format('access mode %s allows reading only', u.access_mode) end;
  end if;
  select string_agg(format('role %s gives %s at %s depth%s', g.role_name, p_right, rowscope._depth_name(g.depth),
                           case when g.team_id is not null then ' through ' || rowscope._principal_label(g.team_id) else '' end
                           || case when g.depth in (2, 3) then ' in BU ' || rowscope._bu_label(g.business_unit_id) else '' end),
                    '; ' order by g.depth desc, g.role_name)
    into v_held
    from rowscope._grants(p_user, p_table, p_right) g;
  if v_held is null then
    return format('no role grants %s on %s', p_right, p_table);
  end if;
  if p_owner is null and p_owning_bu is null then
    return v_held || '; it does not reach this record';
  end if;
  return format('%s; the record is owned by %s in BU %s', v_held,
                rowscope._principal_label(p_owner), rowscope._bu_label(p_owning_bu));
end
$$;

create function rowscope._refuse(p_user uuid, p_right text, p_table text, p_record text, p_reason text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  raise exception 'rowscope: % lacks % on % %: %', rowscope._user_label(p_user), p_right, p_table,
    coalesce(p_record, '(new record)'), p_reason
    using errcode = '42501';
end
$$;

-- Raises 42501 unless the user holds the right on the record.
create function rowscope._require_right(p_user uuid, p_table text, p_right text, p_record uuid,
                                        p_owner uuid, p_owning_bu uuid, p_record_label text default null) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_user is null or not rowscope._has_right(p_user, p_table, p_right, p_record, p_owner, p_owning_bu) then
    perform rowscope._refuse(p_user, p_right, p_table, coalesce(p_record_label, p_record::text),
                             rowscope._missing_reason(p_user, p_table, p_right, p_owner, p_owning_bu));
  end if;
end
$$;

-- For the admin functions: the deployment administrator passes; anyone else must
-- be a rowscope user holding the privilege on the security-data table with a
-- scope covering the object (its owner principal and business unit).
create function rowscope._require_admin(p_table text, p_privilege text, p_object_label text,
                                        p_owner uuid, p_business_unit uuid) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if rowscope._is_deployment_admin() then
    return;
  end if;
  perform rowscope._require_right(rowscope._current_user_id(), p_table, p_privilege, null,
                                  p_owner, p_business_unit, p_object_label);
end
$$;

create function rowscope._bad_argument(p_message text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  raise exception 'rowscope: %', p_message using errcode = '22023';
end
$$;
