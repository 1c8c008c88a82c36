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

create function rowscope._tg_audit_shares() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid := rowscope._current_user_id();
  v_role name := rowscope._identity();
  v_noise text[] := rowscope._audit_security_noise();
begin
  if tg_op = 'INSERT' then
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
