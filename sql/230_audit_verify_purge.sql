-- Checking the chain and removing old history (SPEC §4 verify_audit, purge_audit).

-- Refuses (42501) unless the caller is the deployment administrator or holds the
-- misc privilege.
create function rowscope._require_misc(p_name text, p_what text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid := rowscope._current_user_id();
begin
  if rowscope._is_deployment_admin() or coalesce(rowscope._holds_misc(v_me, p_name), false) then
    return;
  end if;
  perform rowscope._refuse(v_me, p_name, 'audit_log', p_what,
    case when v_me is null then format('role %s is no rowscope user', rowscope._identity())
         else format('no role grants the misc privilege %s', p_name) end);
end
$$;

-- The first broken row, or nothing. Walks the log in id order from the purge
-- point (audit_chain.base): each row must follow the previous id, chain to its
-- hash and hash to its own content; the last row must be the recorded tip.
-- Reading history needs view_audit_history (the answer names row ids).
create function rowscope.verify_audit() returns table (id bigint, problem text)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  c rowscope.audit_chain;
  r rowscope.audit_log;
  v_id bigint;
  v_hash text;
begin
  perform rowscope._require_misc('view_audit_history', 'history');
  select * into c from rowscope.audit_chain;
  if not found then
    return query select null::bigint, 'the chain record rowscope.audit_chain is missing'::text;
    return;
  end if;
  v_id := c.base_id;
  v_hash := c.base_hash;
  for r in select * from rowscope.audit_log a order by a.id loop
    if r.id <= c.base_id then
      return query select r.id, format('row %s lies before the purge point (id %s) but is still in the log', r.id, c.base_id);
      return;
    elsif r.id <> v_id + 1 then
      return query select r.id, format('rows %s to %s are missing', v_id + 1, r.id - 1);
      return;
    elsif r.prev_hash <> v_hash then
      return query select r.id, case when v_id = c.base_id and v_id > 0
        then format('prev_hash does not match the purge point (row %s)', v_id)
        else format('prev_hash does not match the hash of row %s: an earlier row was changed', v_id) end;
      return;
    elsif r.hash <> rowscope._audit_hash(r.prev_hash, r.id, r.at, r.user_id, r.db_role, r.txid, r.table_name,
                                         r.record_id, r.action, r.changes) then
      return query select r.id, 'the row does not match its hash: it was changed after it was written'::text;
      return;
    end if;
    v_id := r.id;
    v_hash := r.hash;
  end loop;
  -- the tip is sealed at commit: rows this transaction appended lie beyond it
  if (v_id <> c.tip_id or v_hash <> c.tip_hash) and not (c.holder = txid_current() and v_id > c.tip_id) then
    return query select greatest(v_id, c.tip_id),
      format('the log ends at row %s but the chain tip is row %s: rows were removed from the end or added', v_id, c.tip_id);
  end if;
end
$$;

-- Deletes the history older than `before` and returns how many rows went. It
-- removes the longest prefix of the chain older than `before` (`at` grows along
-- the chain), records the last removed row as the chain's new base so that
-- verify_audit checks what remains, and logs itself (action 'purge').
create function rowscope.purge_audit(before timestamptz) returns bigint
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  c rowscope.audit_chain;
  v_through bigint;
  v_hash text;
  v_count bigint;
begin
  perform rowscope._require_misc('delete_audit_history', format('before %s', before));
  -- null: the model's auditRetention gives the cut-off (sql/235_audit_retention.sql)
  before := coalesce(before, rowscope.audit_retention_cutoff());
  if before is null then
    perform rowscope._bad_argument('before: give the time before which history is deleted, or set the model option auditRetention');
  end if;
  -- the chain lock: no append can slip in between finding the prefix and moving the base
  select * into strict c from rowscope.audit_chain for update;
  select min(a.id) - 1 into v_through from rowscope.audit_log a where a.id > c.base_id and a.at >= purge_audit.before;
  if v_through is null then
    select coalesce(max(a.id), c.base_id) into v_through from rowscope.audit_log a;
  end if;
  if v_through <= c.base_id then
    v_count := 0;
  else
    select a.hash into strict v_hash from rowscope.audit_log a where a.id = v_through;
    perform set_config('rowscope.audit_purging', txid_current()::text, true);
    delete from rowscope.audit_log a where a.id <= v_through;
    get diagnostics v_count = row_count;
    perform set_config('rowscope.audit_purging', '', true);
    update rowscope.audit_chain set base_id = v_through, base_hash = v_hash;
  end if;
  perform rowscope._audit_append('audit_log', null, 'purge', jsonb_build_object(
    'before', jsonb_build_object('old', null, 'new', before),
    'deleted', jsonb_build_object('old', null, 'new', v_count),
    'through_id', jsonb_build_object('old', c.base_id, 'new', greatest(c.base_id, v_through))));
  return v_count;
end
$$;
