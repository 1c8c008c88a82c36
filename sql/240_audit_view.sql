-- api.audit_log (docs/security-model.md "Audit"): what a user may read of the history. Rows
-- show only with the misc privilege view_audit_history, and only for:
--   - a model table's rows (changes, assigns, shares): records the user can read
--     now (rowscope._has_right on the record's current owner and owning BU). A
--     deleted record has no owner any more; its history shows to those who read
--     the table at organization depth only.
--   - a user (system_user, role_assignment, team_member, field_profile_member
--     rows whose principal is a user): read on system_user covering that user,
--     as the admin API scopes it (the user is the object's owner, its BU the
--     user's BU).
--   - a team (team rows; role_assignment, field_profile_member of a team): read
--     on team covering it.
--   - a business unit: read on business_unit covering it.
--   - the log itself (purge rows): view_audit_history is enough.
-- A record's history stays with that record: users may choose a new record's
-- id, so a record created with the id of a deleted one would otherwise inherit
-- the old record's history (old values included). Rows about a record that lie
-- before its latest insert (the delete, the old record's changes and shares)
-- are not shown; ids grow in write order and a re-insert can only follow the
-- delete, so "before" is id order (audit_log_record serves the lookup).
-- Secured column values in a record's changes are masked as JSON null (old and
-- new) unless rowscope._can_read_field allows the column on that record. The
-- hashes are not shown: a hash over a masked value would let a reader test
-- guesses of it.

-- Whether the current user may read this audit row, view_audit_history aside
-- (the view checks that once per statement).
create function rowscope._audit_visible(p_table text, p_record uuid, p_action text) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
  s record;
  u rowscope.system_user;
  t rowscope.team;
begin
  if rowscope._is_deployment_admin() then
    return true;
  elsif v_me is null then
    return false;
  elsif exists (select from rowscope.secured_table where name = p_table) then
    s := rowscope._record_facts(p_table, p_record);
    if not s.present then
      return rowscope._scope_org(v_me, p_table, 'read');
    end if;
    return rowscope._has_right(v_me, p_table, 'read', p_record, s.owner_id, s.owning_business_unit);
  elsif p_table = 'audit_log' then
    return true;
  elsif p_table = 'business_unit' then
    return rowscope._has_right(v_me, 'business_unit', 'read', null, null, p_record);
  elsif p_table in ('system_user', 'role_assignment', 'team_member', 'team', 'field_profile_member') then
    select * into u from rowscope.system_user where id = p_record;
    if found then
      return rowscope._has_right(v_me, 'system_user', 'read', null, u.id, u.business_unit_id);
    end if;
    select * into t from rowscope.team where id = p_record;
    if found then
      return rowscope._has_right(v_me, 'team', 'read', null, t.id, t.business_unit_id);
    end if;
    -- the principal is gone: organization-wide readers only, as for records
    return rowscope._scope_org(v_me, case when p_table = 'team' then 'team' else 'system_user' end, 'read');
  end if;
  return false;
end
$$;

-- The changes with every secured column the user may not read set to
-- {"old": null, "new": null}. Only a record's own changes carry column values.
create function rowscope._audit_masked_changes(p_table text, p_record uuid, p_action text, p_changes jsonb) returns jsonb
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_column text;
  v_changes jsonb := p_changes;
begin
  if p_action not in ('insert', 'update', 'delete') then
    return v_changes;
  end if;
  for v_column in
    select c from rowscope.secured_table st, unnest(st.secured_columns) c
    where st.name = p_table and p_changes ? c
  loop
    if not coalesce(rowscope._can_read_field(p_table, v_column, p_record), false) then
      v_changes := jsonb_set(v_changes, array[v_column], '{"old": null, "new": null}');
    end if;
  end loop;
  return v_changes;
end
$$;

-- May the current user read audit history at all: once per statement in the view.
create function rowscope._audit_reader() returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._is_deployment_admin()
      or coalesce(rowscope._holds_misc(rowscope._current_user_id(), 'view_audit_history'), false)
$$;

-- (Re)creates <api schema>.audit_log; called by the generated migration. The
-- view runs with its owner's (the definer's) right to read the log, and its
-- security barrier keeps the user's own conditions from seeing rows it filters.
create function rowscope._build_audit_view(p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if exists (select from rowscope.secured_table where name = 'audit_log' and api_schema = p_api_schema) then
    raise exception 'rowscope: %.audit_log is the audit history view; a model table cannot be named audit_log', p_api_schema
      using errcode = '42P07';
  end if;
  execute format('create schema if not exists %I', p_api_schema);
  execute format('drop view if exists %I.audit_log', p_api_schema);
  execute format($v$
    create view %I.audit_log with (security_barrier = true) as
    select a.id, a.at, a.user_id, a.db_role, a.txid, a.table_name, a.record_id, a.action,
           rowscope._audit_masked_changes(a.table_name, a.record_id, a.action, a.changes) as changes
    from rowscope.audit_log a
    where (select rowscope._audit_reader())
      and not exists (select from rowscope.audit_log later
                      where later.table_name = a.table_name and later.record_id = a.record_id
                        and later.id > a.id and later.action = 'insert')
      and rowscope._audit_visible(a.table_name, a.record_id, a.action)$v$,
    p_api_schema);
  -- A non-superuser migrating role (managed PostgreSQL, docs/operations.md) may
  -- hand the view to the definer only if the definer may create in the schema,
  -- as it may anyway for the security views (590_security_views_build.sql).
  execute format('grant usage, create on schema %I to rowscope_definer', p_api_schema);
  execute format('alter view %I.audit_log owner to rowscope_definer', p_api_schema);
  execute format('revoke all on %I.audit_log from public', p_api_schema);
  execute format('grant select on %I.audit_log to rowscope_user', p_api_schema);
end
$$;

create function rowscope._release_audit_view(p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  execute format('drop view if exists %I.audit_log', p_api_schema);
end
$$;
