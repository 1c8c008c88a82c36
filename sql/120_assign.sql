-- Assign (SPEC §2): rowscope.assign is an UPDATE of owner_id made as the caller,
-- so the row guard applies exactly the rule an UPDATE through the api view gets
-- (assign right, an enabled user or owner team as new owner, owning BU follows,
-- cascades). Security invoker on purpose: the caller's own rights decide.
create function rowscope.assign(table_name text, record_id uuid, new_owner_id uuid) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table := rowscope._model_table(table_name);
  v_count int;
begin
  if st.ownership <> 'user' then
    perform rowscope._bad_argument(format('table_name: %s is organization-owned; its records have no owner', table_name));
  end if;
  if new_owner_id is null then
    perform rowscope._bad_argument('new_owner_id: give an enabled user or an owner team');
  end if;
  -- a record the caller cannot read is reported like a missing one (no leak)
  perform rowscope._readable_record(table_name, record_id);
  perform rowscope._require_table_update(table_name, 'assign', record_id);
  execute format('update %I.%I set owner_id = $1 where id = $2', st.data_schema, st.name)
    using new_owner_id, record_id;
  get diagnostics v_count = row_count;
  if v_count = 0 then
    perform rowscope._bad_argument(format('record_id: no such record %s in %s', record_id, table_name));
  end if;
end
$$;
