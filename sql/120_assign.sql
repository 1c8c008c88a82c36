-- Assign (docs/security-model.md): rowscope.assign changes the record's owner
-- under exactly the rule an UPDATE of owner_id through the api view gets
-- (assign right, an enabled user or owner team that reads the table as new
-- owner, owning BU follows, cascades).
--
-- Single pass (docs/performance.md, "Writes"): a rowscope user's UPDATE of
-- owner_id, run as that user, is checked by PostgreSQL against the SELECT
-- policies afterwards, and the new owner may be outside the user's read scope;
-- so the row guard holds such an owner change back and applies it at the end
-- of the statement as a second update (sql/100 pending_assign, sql/140
-- _apply_pending_assign). Here the record is one known row: the function makes
-- the guard's owner-change checks itself (sql/080 _tg_guard_user_owned, same
-- helpers, same order) on the locked row, then changes the owner once through
-- a cascade pass, as the held-back assign would have been applied. The
-- deployment administrator's call, and an "assign" to the current owner (an
-- UPDATE that changes nothing but needs write), stay plain UPDATEs the guard
-- decides.
create function rowscope.assign(table_name text, record_id uuid, new_owner_id uuid) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table := rowscope._model_table(table_name);
  v_me uuid := rowscope._current_user_id();
  v_owner uuid;
  v_bu uuid;
  v_locked_owner uuid;
  v_locked_bu uuid;
  v_count int;
begin
  if st.ownership <> 'user' then
    perform rowscope._bad_argument(format('table_name: %s is organization-owned; its records have no owner', table_name));
  end if;
  if new_owner_id is null then
    perform rowscope._bad_argument('new_owner_id: give an enabled user or an owner team');
  end if;
  if v_me is not null then
    -- a record the caller cannot read is reported like a missing one (no leak)
    select f.owner_id, f.owning_business_unit into v_owner, v_bu
      from rowscope._readable_record(table_name, record_id) f;
    -- now the row as the update will see it, locked (a concurrent assign waits
    -- or went first), so the checks below are about the version that changes;
    -- locked only once it is known to be readable
    execute format('select owner_id, owning_business_unit from %I.%I where id = $1 for no key update', st.data_schema, st.name)
      into v_locked_owner, v_locked_bu using record_id;
    get diagnostics v_count = row_count;
    if v_count = 0 or ((v_locked_owner, v_locked_bu) is distinct from (v_owner, v_bu)
                       and not rowscope._has_right(v_me, table_name, 'read', record_id, v_locked_owner, v_locked_bu)) then
      perform rowscope._bad_argument(format('record_id: no such record %s in %s', record_id, table_name));
    end if;
    if v_locked_owner is distinct from new_owner_id then
      -- what the class guard (sql/045 _class_guard) of the user's own UPDATE
      -- would say: never an answer from a stale snapshot
      if current_setting('transaction_isolation') <> 'read committed' and rowscope._security_changed_since_snapshot() then
        perform rowscope._stale_class(table_name);
      end if;
      perform rowscope._require_right(v_me, table_name, 'assign', record_id, v_locked_owner, v_locked_bu);
      perform rowscope._owner_business_unit(new_owner_id, 'owner_id');
      perform rowscope._require_owner_can_read(v_me, table_name, record_id, new_owner_id);
      -- the guard lets it through (the pass) and moves the owning BU with the owner
      perform rowscope._update_with_cascade_pass(table_name, array[record_id], array['owner_id'], array[new_owner_id]);
      return;
    end if;
    -- the current owner again: an UPDATE that changes nothing, which needs write
    -- (the guard's check); say first if the user may update nothing of the table
    perform rowscope._require_table_update(table_name, 'assign', record_id);
  else
    -- the deployment administrator reads everything; any other role nothing
    perform rowscope._readable_record(table_name, record_id);
  end if;
  execute format('update %I.%I set owner_id = $1 where id = $2', st.data_schema, st.name)
    using new_owner_id, record_id;
  get diagnostics v_count = row_count;
  if v_count = 0 then
    perform rowscope._bad_argument(format('record_id: no such record %s in %s', record_id, table_name));
  end if;
end
$$;
