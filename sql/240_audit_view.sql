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

-- The log's table names whose rows are about a principal (a user or a team):
-- one list for _audit_visible's per-row check and _audit_open_tables' shortcut,
-- so the shortcut can never name a table the per-row check does not cover.
create function rowscope._audit_principal_tables() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select array['system_user', 'role_assignment', 'team_member', 'team', 'field_profile_member']
$$;

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
  -- the deployment administrator is no rowscope user (sql/030): asked only
  -- when there is no user, so a user's rows do not pay for the question
  if v_me is null then
    return rowscope._is_deployment_admin();
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
  elsif p_table = any (rowscope._audit_principal_tables()) then
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

-- The log's table names whose every row rowscope._audit_visible shows the
-- acting user, computed once per statement (an InitPlan of the view, sql/640):
-- the model tables and business_unit they read at organization depth (every
-- record, present or deleted, as _audit_visible's _has_right and _scope_org
-- answer at depth 4), the principals' tables when they read both system_user
-- and team at organization depth, and the log's own rows. Per row, the
-- function cost a System Administrator ~600 us (its grant summary computed
-- again for every row): 55-60 s for a first page of a 93,000-row log
-- (docs/performance.md "The audit log's first page"). No argument: it answers
-- for the current user only.
create function rowscope._audit_open_tables() returns text[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
begin
  if v_me is null then
    return '{}';
  end if;
  return array['audit_log']
      || array(select t.name from rowscope.secured_table t where rowscope._scope_org(v_me, t.name, 'read') order by t.name)
      || case when rowscope._scope_org(v_me, 'business_unit', 'read') then array['business_unit'] else '{}' end
      || case when rowscope._scope_org(v_me, 'system_user', 'read') and rowscope._scope_org(v_me, 'team', 'read')
              then rowscope._audit_principal_tables() else '{}' end;
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
