-- The audit log is append-only (docs/security-model.md "Audit"): users hold no privilege on
-- rowscope.audit_log or rowscope.audit_chain (900_ownership_and_grants.sql
-- revokes everything from PUBLIC), and this trigger stands behind that.

-- Defence in depth behind "no grants": only the superuser changes the log
-- directly. The definer (owner) may append unchained rows, chain an unchained
-- row (set seq, prev_hash and hash, nothing else), move the chain ends, and
-- delete only inside purge_audit, which marks its transaction. Whoever can act
-- as the owner could also disable this trigger; the hash chain is what catches
-- them.
create function rowscope._tg_audit_append_only() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_allowed boolean := false;
begin
  if current_user <> 'rowscope_definer' then
    -- (the definer, who appends every row, is no superuser: no catalog lookup per append)
    v_allowed := coalesce((select rolsuper from pg_roles where rolname = current_user), false);
  elsif tg_table_name = 'audit_chain' then
    v_allowed := tg_op = 'UPDATE';
  elsif tg_op = 'INSERT' then
    v_allowed := new.seq is null and new.prev_hash is null and new.hash is null;
  elsif tg_op = 'UPDATE' then
    v_allowed := old.seq is null and old.prev_hash is null and old.hash is null
      and (new.id, new.at, new.user_id, new.db_role, new.txid, new.table_name, new.record_id, new.action, new.changes)
          is not distinct from
          (old.id, old.at, old.user_id, old.db_role, old.txid, old.table_name, old.record_id, old.action, old.changes);
  elsif tg_op = 'DELETE' then
    -- coalesce: an unset setting is null, and a null here would let the delete through
    v_allowed := coalesce(current_setting('rowscope.audit_purging', true) = txid_current()::text, false);
  end if;
  if not v_allowed then
    raise exception 'rowscope: % may not % rowscope.%: the audit log is append-only', current_user, lower(tg_op), tg_table_name
      using errcode = '42501', hint = 'audit history is removed with rowscope.purge_audit(before), which needs delete_audit_history';
  end if;
  if tg_level = 'STATEMENT' then
    return null;
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end
$$;

-- The same rules per statement for the bulk paths: a bulk share statement
-- appends ~150,000 rows and its commit chains them in one UPDATE, and a
-- PL/pgSQL call per row cost more than the rows themselves. AFTER, with the
-- statement's rows: raising still undoes the whole statement. An UPDATE's new
-- rows are paired with its old rows by id, which the check requires unchanged
-- (id is the primary key, so the pairing is one to one, and a changed id has
-- no partner).
create function rowscope._tg_audit_append_only_rows() returns trigger
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_allowed boolean;
begin
  if current_user <> 'rowscope_definer' then
    v_allowed := coalesce((select rolsuper from pg_roles where rolname = current_user), false);
  elsif tg_op = 'INSERT' then
    v_allowed := not exists (select from new_rows n where n.seq is not null or n.prev_hash is not null or n.hash is not null);
  else
    -- EXCEPT (hashed or sorted, and null equals null) rather than a correlated
    -- NOT EXISTS, which the planner ran as a nested loop over the transition
    -- tables: quadratic in the rows of the UPDATE
    v_allowed := (select count(*) from new_rows) = (select count(*) from old_rows)
      and not exists (
        select n.id, n.at, n.user_id, n.db_role, n.txid, n.table_name, n.record_id, n.action, n.changes from new_rows n
        except
        select o.id, o.at, o.user_id, o.db_role, o.txid, o.table_name, o.record_id, o.action, o.changes from old_rows o
        where o.seq is null and o.prev_hash is null and o.hash is null);
  end if;
  if not v_allowed then
    raise exception 'rowscope: % may not % rowscope.%: the audit log is append-only', current_user, lower(tg_op), tg_table_name
      using errcode = '42501', hint = 'audit history is removed with rowscope.purge_audit(before), which needs delete_audit_history';
  end if;
  return null;
end
$$;

create trigger rowscope_append_only before delete on rowscope.audit_log
  for each row execute function rowscope._tg_audit_append_only();
create trigger rowscope_append_only_insert after insert on rowscope.audit_log
  referencing new table as new_rows for each statement execute function rowscope._tg_audit_append_only_rows();
create trigger rowscope_append_only_update after update on rowscope.audit_log
  referencing old table as old_rows new table as new_rows for each statement execute function rowscope._tg_audit_append_only_rows();
create trigger rowscope_append_only_truncate before truncate on rowscope.audit_log
  for each statement execute function rowscope._tg_audit_append_only();
create trigger rowscope_append_only before insert or update or delete on rowscope.audit_chain
  for each row execute function rowscope._tg_audit_append_only();
create trigger rowscope_append_only_truncate before truncate on rowscope.audit_chain
  for each statement execute function rowscope._tg_audit_append_only();
