-- check_access (docs/reference.md): the rights a user holds on a record, from the very
-- functions the policies and the row guard use (one source of truth).

-- Whose access is asked about: the caller, or (checking someone else) a user the
-- caller may read through privilege read on system_user covering that user. A
-- refusal must not tell the caller who the other user is (their login, their
-- BU) nor whether the id is a user at all (issue 14, F12).
create function rowscope._subject_user(p_user uuid) returns uuid
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
  u rowscope.system_user;
begin
  if p_user is null or p_user = v_me then
    if v_me is null and not rowscope._is_deployment_admin() then
      perform rowscope._refuse(null, 'read', 'system_user', null, format('role %s is no rowscope user', rowscope._identity()));
    end if;
    if v_me is null then
      perform rowscope._bad_argument('user_id: the deployment administrator is no rowscope user; name the user to check');
    end if;
    return v_me;
  end if;
  -- an id that is no user is refused like a user the caller may not read,
  -- unless the caller could read every user (nothing leaks either way)
  if not exists (select from rowscope.system_user s where s.id = p_user)
     and not rowscope._is_deployment_admin()
     and (v_me is null or rowscope._max_depth(v_me, 'system_user', 'read') < 4) then
    perform rowscope._refuse(v_me, 'read', 'system_user', 'user ' || p_user,
                             rowscope._missing_reason(v_me, 'system_user', 'read', null, null));
  end if;
  -- a refusal names the user by id unless the caller may read them (sql/071)
  u := rowscope._require_user_admin('read', p_user);
  return u.id;
end
$$;

-- Rights that cannot be used on a record the user cannot read: an UPDATE or
-- DELETE reaches only visible rows, and assign / grant_access / access teams
-- take a record only the caller can read (sql/100 _readable_record). append_to
-- is checked on the target without the user reading it (sql/140).
create function rowscope._needs_read(p_right text) returns boolean
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select p_right in ('write', 'delete', 'append', 'assign', 'share')
$$;

-- What the user can actually do: a right that needs read on the record counts
-- only with read, as rowscope._usable_right (sql/415) says (issue 17 item 9).
create function rowscope._rights_held(p_user uuid, p_table text, p_record uuid, p_owner uuid, p_owning_bu uuid) returns text[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  with held as (
    select r, o
    from unnest(rowscope._record_rights()) with ordinality as x(r, o)
    where rowscope._has_right(p_user, p_table, r, p_record, p_owner, p_owning_bu)
  )
  select coalesce(array_agg(h.r order by h.o), '{}')
  from held h
  where not rowscope._needs_read(h.r) or exists (select from held k where k.r = 'read')
$$;

create function rowscope.check_access(table_name text, record_id uuid, user_id uuid default null) returns text[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_variable
declare
  v_subject uuid := rowscope._subject_user(user_id);
  f record := rowscope._readable_record(table_name, record_id);
begin
  return rowscope._rights_held(v_subject, table_name, record_id, f.owner_id, f.owning_business_unit);
end
$$;
