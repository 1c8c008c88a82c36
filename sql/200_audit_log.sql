-- The audit log (SPEC §2 "Audit"): one append-only table, every row chained to
-- the one before by a sha256 hash so that changing, removing or inserting a row
-- afterwards is detectable (rowscope.verify_audit, 230_audit_verify_purge.sql).
-- Rows are only ever written by rowscope._audit_append, called from triggers.

create table rowscope.audit_log (
  -- gapless and in commit order (assigned under the chain lock, below): a
  -- missing id is a removed row
  id bigint primary key,
  at timestamptz not null,
  -- null when the deployment administrator (no rowscope user) acts
  user_id uuid,
  db_role name not null,
  txid bigint not null,
  -- a model table, or the security-data table the change is about
  table_name text not null,
  record_id uuid,
  action text not null,
  -- {"column": {"old": ..., "new": ...}}
  changes jsonb not null,
  prev_hash text not null,
  hash text not null
);
create index audit_log_record on rowscope.audit_log (table_name, record_id, id);
create index audit_log_at on rowscope.audit_log (at);

-- The chain's state, in one row. base: the last row removed by purge_audit
-- (verification starts from it; id 0 and 64 zeros before any purge). tip: the
-- newest row, sealed at commit (below), so that rows cut off the end show.
-- holder: the transaction that last appended.
--
-- Serialisation: the first append of a transaction locks this row and writes
-- its txid into holder; the lock lasts until the transaction ends, so audited
-- writers append one transaction at a time, in commit order, and the chain
-- cannot fork. Why a row lock rather than pg_advisory_xact_lock: under READ
-- COMMITTED both make a waiter read the tip its predecessor committed, but
-- under REPEATABLE READ / SERIALIZABLE a waiter's snapshot predates that tip;
-- an advisory lock would let it chain to a stale tip and fork, whereas the
-- update of a row changed by a transaction it cannot see fails with 40001
-- (retry). Later appends of the same transaction find holder = their txid and
-- neither lock nor update again (one row version per transaction: updating it
-- per append made a bulk update of n rows cost O(n^2)); they read the tip from
-- the log's primary key.
-- Cost: transactions that write audited rows serialise from their first audited
-- change until commit; a long transaction holds up every other audited write
-- (and rowscope logins when auditLogins is on), and two transactions that also
-- wait on each other's row locks deadlock sooner (PostgreSQL aborts one).
create table rowscope.audit_chain (
  singleton boolean primary key default true check (singleton),
  holder bigint not null default 0,
  tip_id bigint not null,
  tip_hash text not null,
  base_id bigint not null,
  base_hash text not null
);
insert into rowscope.audit_chain (tip_id, tip_hash, base_id, base_hash)
  values (0, repeat('0', 64), 0, repeat('0', 64));

-- sha256(prev_hash || canonical text of the row). The canonical text is a jsonb
-- array (jsonb prints keys in a fixed order) with the time in UTC, so it does
-- not depend on the session's TimeZone or DateStyle.
create function rowscope._audit_hash(p_prev text, p_id bigint, p_at timestamptz, p_user uuid, p_db_role name,
                                     p_txid bigint, p_table text, p_record uuid, p_action text, p_changes jsonb)
returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
  select encode(sha256(convert_to(p_prev || jsonb_build_array(
    p_id, to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), p_user, p_db_role::text,
    p_txid, p_table, p_record, p_action, p_changes)::text, 'UTF8')), 'hex')
$$;

-- Appends one row at the tip of the chain (see audit_chain for the locking).
create function rowscope._audit_append(p_table text, p_record uuid, p_action text, p_changes jsonb) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_txid bigint := txid_current();
  v_prev_id bigint;
  v_prev_hash text;
  v_id bigint;
  v_at timestamptz;
  v_user uuid := rowscope._current_user_id();
  v_role name := rowscope._identity();
  v_changes jsonb := coalesce(p_changes, '{}');
  v_hash text;
begin
  if not exists (select from rowscope.audit_chain where holder = v_txid) then
    -- a new statement after the wait: under READ COMMITTED it sees the
    -- predecessor's rows; a rolled-back subtransaction undoes holder too
    perform from rowscope.audit_chain for update;
    update rowscope.audit_chain set holder = v_txid;
  end if;
  select a.id, a.hash into v_prev_id, v_prev_hash from rowscope.audit_log a order by a.id desc limit 1;
  if v_prev_id is null then
    select base_id, base_hash into strict v_prev_id, v_prev_hash from rowscope.audit_chain;
  end if;
  v_id := v_prev_id + 1;
  -- taken under the lock, so `at` grows along the chain (purge_audit relies on it)
  v_at := clock_timestamp();
  v_hash := rowscope._audit_hash(v_prev_hash, v_id, v_at, v_user, v_role, v_txid, p_table, p_record, p_action, v_changes);
  insert into rowscope.audit_log (id, at, user_id, db_role, txid, table_name, record_id, action, changes, prev_hash, hash)
    values (v_id, v_at, v_user, v_role, v_txid, p_table, p_record, p_action, v_changes, v_prev_hash, v_hash);
end
$$;

-- At commit, the newest row becomes the chain's recorded tip. A deferred
-- trigger per row, acting only for the last one: rows appended by other
-- deferred triggers during commit queue their own event after this one's.
create function rowscope._tg_audit_seal() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
begin
  if new.id = (select max(a.id) from rowscope.audit_log a) then
    update rowscope.audit_chain set tip_id = new.id, tip_hash = new.hash;
  end if;
  return null;
end
$$;

create constraint trigger rowscope_audit_seal after insert on rowscope.audit_log
  deferrable initially deferred for each row execute function rowscope._tg_audit_seal();
