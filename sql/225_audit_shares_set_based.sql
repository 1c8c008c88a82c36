-- Share changes are audited per statement, set-based (sql/220 audits the other
-- security tables per row). Shares are the bulk of security data at scale
-- (bench scale 10: a million direct shares and two million cascaded ones), and
-- the row trigger cost about 0.27 ms a row (a PL/pgSQL call, two to_jsonb, the
-- diff function, an INSERT and the acting user's lookup each time). The rows
-- written are those the row trigger wrote -- one per share inserted, updated
-- or deleted, under the record's own table, naming the record, with the same
-- `changes` -- in one INSERT per statement, with the acting user looked up
-- once. An update that changes no audited column still adds no row.

drop trigger rowscope_audit on rowscope.record_share;

-- The audited columns of record_share as this file knows them: inserts and
-- deletes then build `changes` with one jsonb_build_object per row (written
-- out in the trigger: a SQL function with a pinned search_path is not
-- inlined, and its call per row cost as much again), about half the cost of
-- walking each row's keys. The values go in as they are, not through
-- to_jsonb (the same JSON: a null is JSON null either way), ~15% less.
-- Building `changes` is still about half of an entry's cost (~13 µs a row,
-- docs/performance.md "Loading security data"). The columns are checked once per
-- statement; a table with other columns (a later core version) takes the
-- generic path, which gives the same changes.
create function rowscope._audit_share_columns() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select array['inherited_from_record', 'inherited_from_table', 'principal_id', 'record_id', 'rights', 'shared_by', 'table_name']
$$;

create function rowscope._tg_audit_shares() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid := rowscope._current_user_id();
  v_role name := rowscope._identity();
  v_noise text[] := rowscope._audit_security_noise();
  v_known boolean := array(select a.attname::text from pg_attribute a
                           where a.attrelid = 'rowscope.record_share'::regclass and a.attnum > 0 and not a.attisdropped
                             and a.attname::text <> all (v_noise) order by 1) = rowscope._audit_share_columns();
begin
  if tg_op = 'INSERT' and v_known then
    insert into rowscope.audit_log (at, user_id, db_role, txid, table_name, record_id, action, changes)
    select clock_timestamp(), v_user, v_role, txid_current(), n.table_name, n.record_id, 'share',
           jsonb_build_object(
             'table_name', jsonb_build_object('old', null, 'new', n.table_name),
             'record_id', jsonb_build_object('old', null, 'new', n.record_id),
             'principal_id', jsonb_build_object('old', null, 'new', n.principal_id),
             'rights', jsonb_build_object('old', null, 'new', n.rights),
             'inherited_from_table', jsonb_build_object('old', null, 'new', n.inherited_from_table),
             'inherited_from_record', jsonb_build_object('old', null, 'new', n.inherited_from_record),
             'shared_by', jsonb_build_object('old', null, 'new', n.shared_by))
    from new_rows n order by n.id;
  elsif tg_op = 'DELETE' and v_known then
    insert into rowscope.audit_log (at, user_id, db_role, txid, table_name, record_id, action, changes)
    select clock_timestamp(), v_user, v_role, txid_current(), o.table_name, o.record_id, 'unshare',
           jsonb_build_object(
             'table_name', jsonb_build_object('old', o.table_name, 'new', null),
             'record_id', jsonb_build_object('old', o.record_id, 'new', null),
             'principal_id', jsonb_build_object('old', o.principal_id, 'new', null),
             'rights', jsonb_build_object('old', o.rights, 'new', null),
             'inherited_from_table', jsonb_build_object('old', o.inherited_from_table, 'new', null),
             'inherited_from_record', jsonb_build_object('old', o.inherited_from_record, 'new', null),
             'shared_by', jsonb_build_object('old', o.shared_by, 'new', null))
    from old_rows o order by o.id;
  elsif tg_op = 'INSERT' then
    insert into rowscope.audit_log (at, user_id, db_role, txid, table_name, record_id, action, changes)
    select clock_timestamp(), v_user, v_role, txid_current(), n.table_name, n.record_id, 'share',
           (select coalesce(jsonb_object_agg(e.key, jsonb_build_object('old', null::jsonb, 'new', e.value)), '{}')
              from jsonb_each(to_jsonb(n)) e where e.key <> all (v_noise))
    from new_rows n order by n.id;
  elsif tg_op = 'DELETE' then
    insert into rowscope.audit_log (at, user_id, db_role, txid, table_name, record_id, action, changes)
    select clock_timestamp(), v_user, v_role, txid_current(), o.table_name, o.record_id, 'unshare',
           (select coalesce(jsonb_object_agg(e.key, jsonb_build_object('old', e.value, 'new', null::jsonb)), '{}')
              from jsonb_each(to_jsonb(o)) e where e.key <> all (v_noise))
    from old_rows o order by o.id;
  else
    -- id is an identity column nobody may change (generated always): it pairs the rows
    insert into rowscope.audit_log (at, user_id, db_role, txid, table_name, record_id, action, changes)
    select clock_timestamp(), v_user, v_role, txid_current(), d.table_name, d.record_id, 'modify_share', d.changes
    from (
      select n.id, n.table_name, n.record_id,
             (select coalesce(jsonb_object_agg(e.key, jsonb_build_object('old', to_jsonb(o) -> e.key, 'new', e.value)), '{}')
                from jsonb_each(to_jsonb(n)) e
               where e.key <> all (v_noise) and (to_jsonb(o) -> e.key) is distinct from e.value) as changes
      from new_rows n join old_rows o on o.id = n.id
    ) d
    where d.changes <> '{}'
    order by d.id;
  end if;
  return null;
end
$$;

create trigger rowscope_audit_insert after insert on rowscope.record_share
  referencing new table as new_rows for each statement execute function rowscope._tg_audit_shares();
create trigger rowscope_audit_update after update on rowscope.record_share
  referencing old table as old_rows new table as new_rows for each statement execute function rowscope._tg_audit_shares();
create trigger rowscope_audit_delete after delete on rowscope.record_share
  referencing old table as old_rows for each statement execute function rowscope._tg_audit_shares();
