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

-- Chains every committed row left unchained (the later sealer: rows of
-- REPEATABLE READ transactions whose snapshot was stale at commit, of commit
-- steps that found the chain lock busy, of logins). Returns how many rows it
-- chained; null when the chain lock stayed busy (try again). verify_audit and
-- purge_audit run it first. For the deployment administrator (a scheduled job);
-- users reach it through verify_audit.
create function rowscope.seal_audit() returns bigint
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if not rowscope._is_deployment_admin() then
    perform rowscope._require_misc('view_audit_history', 'history');
  end if;
  return rowscope._audit_seal(true, null);
end
$$;

-- The first broken row, or nothing. Seals what it can, then walks the chained
-- rows in chain order (seq) from the purge point (audit_chain.base): each row
-- must hold the next position, chain to its predecessor's hash and hash to its
-- own content; the last one must be the recorded tip. A row still unchained a
-- minute after it was written is a problem too: its commit step and every
-- sealer since failed to take the chain lock.
-- Reading history needs view_audit_history (the answer names row ids).
create function rowscope.verify_audit() returns table (id bigint, problem text)
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  c rowscope.audit_chain;
  r rowscope.audit_log;
  v_seq bigint;
  v_hash text;
  v_last bigint;
  v_count bigint;
begin
  perform rowscope._require_misc('view_audit_history', 'history');
  perform rowscope._audit_seal(true, null);
  select * into c from rowscope.audit_chain;
  if not found then
    return query select null::bigint, 'the chain record rowscope.audit_chain is missing'::text;
    return;
  end if;
  v_seq := c.base_seq;
  v_hash := c.base_hash;
  for r in select * from rowscope.audit_log a where a.seq is not null order by a.seq loop
    if r.seq <= c.base_seq then
      return query select r.id, format('row %s (chain position %s) lies before the purge point (position %s) but is still in the log',
                                       r.id, r.seq, c.base_seq);
      return;
    elsif r.seq <> v_seq + 1 then
      return query select r.id, format('rows at chain positions %s to %s are missing', v_seq + 1, r.seq - 1);
      return;
    elsif r.prev_hash is distinct from v_hash then
      return query select r.id, case
        when v_last is not null then format('prev_hash does not match the hash of row %s: an earlier row was changed', v_last)
        when c.base_seq > 0 then format('prev_hash does not match the purge point (chain position %s)', c.base_seq)
        else 'prev_hash does not match the start of the chain' end;
      return;
    elsif r.hash is distinct from rowscope._audit_hash(r.prev_hash, r.id, r.at, r.user_id, r.db_role, r.txid, r.table_name,
                                                      r.record_id, r.action, r.changes) then
      return query select r.id, 'the row does not match its hash: it was changed after it was written'::text;
      return;
    end if;
    v_seq := r.seq;
    v_hash := r.hash;
    v_last := r.id;
  end loop;
  if v_seq <> c.tip_seq or v_hash <> c.tip_hash then
    return query select v_last,
      format('the chain ends at position %s but its recorded tip is position %s: rows were removed from the end or added',
             v_seq, c.tip_seq);
    return;
  end if;
  select count(*) into v_count from rowscope.audit_log a where a.seq is null and a.at < now() - interval '1 minute';
  if v_count > 0 then
    return query select a.id, format('row %s, written at %s, is not chained yet (%s such rows older than a minute): '
                                     'the chain lock was busy at every commit step and seal since', a.id, a.at, v_count)
      from rowscope.audit_log a where a.seq is null and a.at < now() - interval '1 minute' order by a.id limit 1;
  end if;
end
$$;

-- Deletes the history older than `before` and returns how many rows went. It
-- removes the longest prefix of the chain (in chain order) whose rows are all
-- older than `before`, records the last removed row as the chain's new base so
-- that verify_audit checks what remains, and logs itself (action 'purge').
-- Unchained rows are never removed: it seals first, under the chain lock.
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
  perform rowscope._audit_seal(true, null);
  -- the chain lock (already held when the seal took it): no row is chained
  -- between finding the prefix and moving the base
  select * into strict c from rowscope.audit_chain for update;
  select min(a.seq) - 1 into v_through from rowscope.audit_log a where a.seq > c.base_seq and a.at >= purge_audit.before;
  v_through := coalesce(v_through, c.tip_seq);
  if v_through <= c.base_seq then
    v_count := 0;
  else
    select a.hash into strict v_hash from rowscope.audit_log a where a.seq = v_through;
    perform set_config('rowscope.audit_purging', txid_current()::text, true);
    delete from rowscope.audit_log a where a.seq <= v_through;
    get diagnostics v_count = row_count;
    perform set_config('rowscope.audit_purging', '', true);
    update rowscope.audit_chain set base_seq = v_through, base_hash = v_hash;
  end if;
  perform rowscope._audit_append('audit_log', null, 'purge', jsonb_build_object(
    'before', jsonb_build_object('old', null, 'new', before),
    'deleted', jsonb_build_object('old', null, 'new', v_count),
    'through_seq', jsonb_build_object('old', c.base_seq, 'new', greatest(c.base_seq, v_through))));
  return v_count;
end
$$;
