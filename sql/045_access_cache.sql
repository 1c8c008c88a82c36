-- The access sets of the acting user, as the policies call them, cached for the
-- session. Computing a set costs 0.1–0.5 ms (the grants, the hierarchy, the
-- shares), more than a point read, and every read pays it once per arm
-- (docs/architecture.md). The cache lives in a temporary table the definer owns (nobody
-- else can read or write it) and each entry carries the security epoch it was
-- computed at: every statement that changes security data bumps the epoch in
-- its own transaction (sql/890), so an entry is used only while the security
-- data it came from is exactly what the reader's snapshot sees. Entries written
-- in a transaction that rolls back vanish with it (temporary tables are
-- transactional), so uncommitted security changes never outlive their
-- transaction.

-- The epoch is striped so that writers of security data do not serialise on
-- one row (issue 18: 4 admins in REPEATABLE READ failed ~15 times a second
-- on it): a writing transaction bumps one stripe, the first one no other
-- transaction holds or (REPEATABLE READ) has changed since its snapshot, and
-- keeps bumping that one. Readers take the sum. It is a faithful fingerprint
-- of the committed security changes a snapshot sees: every bump adds 1, and a
-- later snapshot sees every transaction an earlier one saw committed, so two
-- snapshots with the same sum see the same changes. A transaction's own
-- uncommitted bumps count only for itself, and whatever it cached after them
-- is rolled back with them (test/integration/foundation/epoch-stripes.test.ts).
-- 16 stripes: as many writers as the bench's 16 clients never wait, and the
-- sum that every cached read takes stays a scan of one small page.
create table rowscope.security_epoch_stripe (
  stripe smallint primary key check (stripe between 0 and 15),
  n bigint not null
);
insert into rowscope.security_epoch_stripe select s, 0 from generate_series(0, 15) s;
create view rowscope.security_epoch as select sum(s.n)::bigint as n from rowscope.security_epoch_stripe s;

-- A row's xmin / xmax is a 32-bit xid; pg_xact_status takes an xid8: the one
-- nearest to the current snapshot's (within 2^31 of it). Taken and returned
-- as text (callers cast): PostGraphile, which introspects the rowscope schema for
-- the admin functions, has no codec for xid8 and warns at every start.
create function rowscope._recent_xid8(p_xid text) returns text
language sql stable set search_path = pg_catalog, pg_temp as $$
  select (r + ((p_xid::bigint - r % 4294967296 + 2147483648) % 4294967296 + 4294967296) % 4294967296 - 2147483648)::text
  from (select pg_snapshot_xmax(pg_current_snapshot())::text::bigint as r) s
$$;

-- Statement trigger on every table security data lives in (sql/890). A
-- transaction owns its stripe by a transaction-level advisory lock (this
-- database's own) and remembers which in rowscope.epoch_stripe. No row lock
-- besides the UPDATE's own: a SELECT ... FOR UPDATE would leave its lock in the
-- new version's xmax, which rowscope._security_changed_since_snapshot would
-- take for a change. Under REPEATABLE READ a stripe changed since the snapshot
-- is passed over (updating it would fail with 40001). The setting can be set
-- by anyone: a value naming no stripe, or one another transaction owns, is
-- ignored, so a bump is never lost. Anyone can also take the advisory locks
-- (pg_advisory_lock is PUBLIC's): holding all 16 only sends writers to their
-- backend's stripe, where they wait for one another as before the stripes.
create function rowscope._bump_security_epoch() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_held text := current_setting('rowscope.epoch_stripe', true);
  v_key integer := hashtext('rowscope.security_epoch_stripe');
  v_rc boolean := current_setting('transaction_isolation') = 'read committed';
  v_stripe integer;
  v_try integer;
begin
  v_stripe := case when v_held ~ '^[0-9]{1,2}$' then nullif(least(v_held::integer, 16), 16) end;
  if v_stripe is not null and pg_try_advisory_xact_lock(v_key, v_stripe) then
    update rowscope.security_epoch_stripe set n = n + 1 where stripe = v_stripe;
    return null;
  end if;
  for v_try in 0 .. 15 loop
    v_stripe := (pg_backend_pid() + v_try) % 16;
    continue when not pg_try_advisory_xact_lock(v_key, v_stripe);
    -- checked while owning it: nobody can change it in between
    continue when not v_rc and exists (
      select from rowscope.security_epoch_stripe s
      where s.stripe = v_stripe and s.xmax::text <> '0'
        and coalesce(pg_xact_status(rowscope._recent_xid8(s.xmax::text)::xid8), 'committed') <> 'aborted');
    update rowscope.security_epoch_stripe set n = n + 1 where stripe = v_stripe;
    perform set_config('rowscope.epoch_stripe', v_stripe::text, true);
    return null;
  end loop;
  -- every stripe busy: this backend's own, waiting only for its row lock (not
  -- for the advisory lock, which a session may hold forever)
  v_stripe := pg_backend_pid() % 16;
  update rowscope.security_epoch_stripe set n = n + 1 where stripe = v_stripe;
  perform set_config('rowscope.epoch_stripe', v_stripe::text, true);
  return null;
end
$$;

-- Whether the session's cache table is there and ours, creating it when asked
-- and possible. A temporary table of that name made first by the session's user
-- is not ours: then nothing is cached. A read-only transaction or a standby
-- computes the sets every time. Only reads create it (the write checks never
-- do: a transaction that rolls back would take the new table with it, and
-- creating it each time costs milliseconds). The name carries a version: a
-- session that outlives an upgrade keeps its old table under the old name (v2:
-- epochs became sums of stripes, not comparable with v1's numbers).
create function rowscope._access_cache_ready(p_create boolean) returns boolean
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_owner oid;
begin
  select c.relowner into v_owner from pg_class c where c.oid = to_regclass('pg_temp.rowscope_access_cache_v2');
  if found then
    return v_owner = current_user::regrole::oid;
  end if;
  if not p_create or pg_is_in_recovery() or current_setting('transaction_read_only') = 'on' then
    return false;
  end if;
  begin
    create temporary table rowscope_access_cache_v2 (
      user_id uuid not null,
      table_name text not null,
      privilege text not null,
      kind text not null,          -- org, owners, bus, records, summary
      epoch bigint not null,
      ids uuid[],                  -- the set; the summary's owners
      flag boolean,                -- org
      depth smallint,              -- the summary's
      bus uuid[],
      deep_bus uuid[],
      primary key (user_id, table_name, privilege, kind)
    );
  exception when insufficient_privilege then
    return false; -- no TEMP privilege on this database
  end;
  return true;
end
$$;

-- Entries of another epoch can never be used again: each miss drops them, so a
-- pooled connection serving many users keeps one epoch's worth of sets. Called
-- only after rowscope._access_cache_ready said the table is ours.
create function rowscope._evict_stale_access_sets(p_epoch bigint) returns void
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
begin
  delete from pg_temp.rowscope_access_cache_v2 where epoch <> p_epoch;
end
$$;

-- One access set of the acting user: kind 'org' (flag), 'owners', 'bus' or
-- 'records' (ids). Every read runs this once per arm, so the cached path is two
-- queries with no nested function call: the cache table's owner, then the entry
-- joined with the acting user (as rowscope._current_user_id finds it). Volatile:
-- it writes the cache; the epoch and the set it stores are read in one
-- statement, so they come from one snapshot.
create function rowscope._access_set(p_kind text, p_table text, p_privilege text, out ids uuid[], out flag boolean)
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_owner oid;
  v_me uuid;
  v_cache boolean;
  v_epoch bigint;
begin
  select c.relowner into v_owner from pg_class c where c.oid = to_regclass('pg_temp.rowscope_access_cache_v2');
  if v_owner = current_user::regrole::oid then
    select c.ids, c.flag into ids, flag
    from pg_temp.rowscope_access_cache_v2 c join rowscope.system_user u on u.id = c.user_id
    where u.db_role = coalesce(nullif(current_setting('role'), 'none'), session_user)
      and c.table_name = p_table and c.privilege = p_privilege and c.kind = p_kind
      and c.epoch = (select e.n from rowscope.security_epoch e);
    if found then
      return;
    end if;
  end if;
  v_me := rowscope._current_user_id();
  if v_me is null then
    ids := '{}';
    flag := false;
    return;
  end if;
  v_cache := rowscope._access_cache_ready(true);
  select e.n,
         case p_kind when 'owners' then rowscope._scope_owners(v_me, p_table, p_privilege)
                     when 'bus' then rowscope._scope_bus(v_me, p_table, p_privilege)
                     when 'records' then rowscope._scope_records(v_me, p_table, p_privilege) end,
         case p_kind when 'org' then rowscope._scope_org(v_me, p_table, p_privilege) end
    into v_epoch, ids, flag
  from rowscope.security_epoch e;
  if v_cache then
    perform rowscope._evict_stale_access_sets(v_epoch);
    insert into pg_temp.rowscope_access_cache_v2 as c (user_id, table_name, privilege, kind, epoch, ids, flag)
    values (v_me, p_table, p_privilege, p_kind, v_epoch, ids, flag)
    on conflict (user_id, table_name, privilege, kind)
    do update set epoch = excluded.epoch, ids = excluded.ids, flag = excluded.flag;
  end if;
end
$$;

-- rowscope._grant_summary from the cache when the session has one: what the row
-- guard checks every written row against (rowscope._has_right). Keyed by the
-- user it is about, not by who asks, so explain and check_access for another
-- user share the entries.
create function rowscope._grant_summary_cached(p_user uuid, p_table text, p_privilege text,
                                               out depth smallint, out owners uuid[], out bus uuid[], out deep_bus uuid[])
language plpgsql volatile security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_cache boolean := rowscope._access_cache_ready(false);
  v_epoch bigint;
begin
  if v_cache then
    select c.depth, c.ids, c.bus, c.deep_bus into depth, owners, bus, deep_bus
    from pg_temp.rowscope_access_cache_v2 c
    where c.user_id = p_user and c.table_name = p_table and c.privilege = p_privilege and c.kind = 'summary'
      and c.epoch = (select e.n from rowscope.security_epoch e);
    if found then
      return;
    end if;
  end if;
  select e.n, (g).depth, (g).owners, (g).bus, (g).deep_bus into v_epoch, depth, owners, bus, deep_bus
  from rowscope.security_epoch e, rowscope._grant_summary(p_user, p_table, p_privilege) g;
  if v_cache then
    perform rowscope._evict_stale_access_sets(v_epoch);
    insert into pg_temp.rowscope_access_cache_v2 as c (user_id, table_name, privilege, kind, epoch, ids, depth, bus, deep_bus)
    values (p_user, p_table, p_privilege, 'summary', v_epoch, owners, depth, bus, deep_bus)
    on conflict (user_id, table_name, privilege, kind)
    do update set epoch = excluded.epoch, ids = excluded.ids, depth = excluded.depth, bus = excluded.bus, deep_bus = excluded.deep_bus;
  end if;
end
$$;

-- Both arguments are required: a null is 22023 naming it, not a raw not-null
-- error from deep inside (issue 14, F12). The scope functions test for null
-- inline and call this only then (the policies call them as InitPlans, once
-- per statement).
create function rowscope._check_scope_arguments(p_table text, p_privilege text) returns void
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
begin
  if p_table is null then
    perform rowscope._bad_argument('p_table: give the name of a model table');
  elsif p_privilege is null then
    perform rowscope._bad_argument('p_privilege: give a privilege (read, write, ...)');
  end if;
end
$$;

-- The sets for the acting user: what the policies call. They take no user
-- argument, so nobody can read another user's access sets through them. The
-- arrays are returned as fresh copies (`|| '{}'`): an array read from a table
-- column would be detoasted again on every row it is compared with.
create function rowscope.scope_org(p_table text, p_privilege text) returns boolean
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_table is null or p_privilege is null then
    perform rowscope._check_scope_arguments(p_table, p_privilege);
  end if;
  return (rowscope._access_set('org', p_table, p_privilege)).flag;
end
$$;
create function rowscope.scope_owners(p_table text, p_privilege text) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_table is null or p_privilege is null then
    perform rowscope._check_scope_arguments(p_table, p_privilege);
  end if;
  return (rowscope._access_set('owners', p_table, p_privilege)).ids || '{}'::uuid[];
end
$$;
create function rowscope.scope_bus(p_table text, p_privilege text) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_table is null or p_privilege is null then
    perform rowscope._check_scope_arguments(p_table, p_privilege);
  end if;
  return (rowscope._access_set('bus', p_table, p_privilege)).ids || '{}'::uuid[];
end
$$;
create function rowscope.scope_records(p_table text, p_privilege text) returns uuid[]
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  if p_table is null or p_privilege is null then
    perform rowscope._check_scope_arguments(p_table, p_privilege);
  end if;
  return (rowscope._access_set('records', p_table, p_privilege)).ids || '{}'::uuid[];
end
$$;

-- Stale plans (test/integration/adversarial/stale-plans.test.ts). The policies a statement runs with are chosen at plan time
-- by the acting user's class-role memberships, and a plan outlives them: a
-- transaction that already holds its locks processes no invalidation messages,
-- so a prepared statement (even a new one) keeps the class it was planned for
-- after disable_user or remove_role committed elsewhere. Every class role's
-- policies therefore get a restrictive twin `(select rowscope._class_guard(t, c))`
-- (src/compile/policies.ts): an InitPlan, one call per statement and a one-time
-- filter that leaves the scan alone.
--
-- READ COMMITTED: each statement's snapshot sees the change, and the arms of
-- every class but org are the access sets recomputed from it (cached by
-- security epoch), so they never exceed the current access: only org's `true`
-- needs checking. REPEATABLE READ / SERIALIZABLE: the sets come from the
-- transaction's snapshot, so any security change committed since it makes the
-- statement fail with 40001 (coarse: any change, not only this user's).
--
-- Cost: the guard is an RLS qual of every class, org included, so a leaky
-- (not LEAKPROOF) operator of the query such as LIKE can no longer be an index
-- condition for an organization reader (PostgreSQL evaluates it only after the
-- RLS quals); before, org's `true` left the scan no RLS qual at all.

-- Whether a security change committed after the transaction's snapshot: the
-- visible version of an epoch stripe (one is bumped by every such change,
-- sql/890) has been superseded by a committed transaction (only UPDATEs set a
-- stripe's xmax: rowscope._bump_security_epoch takes no row lock).
create function rowscope._security_changed_since_snapshot() returns boolean
language sql stable parallel restricted security definer set search_path = pg_catalog, pg_temp as $$
  -- No exception block (a subtransaction cannot start while a parallel query
  -- runs, and the class guard runs in one: see below). pg_xact_status raises
  -- only for an xid in the future, and a stripe's xmax never is: it is a plain
  -- xid of a transaction that updated it (the definer takes no row lock on the
  -- stripes, so no multixact), mapped to the nearest xid8 by _recent_xid8.
  -- One too old for the commit log is null: taken as committed, the worst case.
  select exists (
    select from rowscope.security_epoch_stripe e
    where e.xmax::text <> '0'
      -- in progress or rolled back: nothing changed (yet)
      and coalesce(pg_xact_status(rowscope._recent_xid8(e.xmax::text)::xid8), 'committed') = 'committed')
$$;

create function rowscope._stale_class(p_table text) returns void
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
begin
  raise exception 'rowscope: %''s access to % changed since this statement was planned; retry the transaction',
    rowscope._identity(), p_table using errcode = '40001';
end
$$;

-- True when the statement may run with the policies of class p_class; false
-- when the acting user now reads nothing of the table; 40001 when it would
-- answer beyond the user's current access. Never a stale answer. For the
-- classes other than org the policies answer READ COMMITTED themselves and
-- call it only otherwise (src/compile/policies.ts classGuard): a call costs
-- ~0.1 ms a statement.
--
-- PARALLEL RESTRICTED, not the default UNSAFE: one unsafe function keeps the
-- whole query serial, so an organization reader's count or LIKE over a large
-- table ran without the workers the superuser's got (~2x at scale 1,
-- docs/performance.md "The class guard in parallel queries and in the statement"). As an
-- InitPlan it runs once in the leader, which is in parallel mode: so it never
-- writes (no cache) and never opens a subtransaction (no exception block),
-- nor does anything it calls.
create function rowscope._class_guard(p_table text, p_class text) returns boolean
language plpgsql stable parallel restricted security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid;
begin
  if p_class is null or p_class not in ('org', 'bu', 'bu_shared', 'user', 'user_shared') then
    perform rowscope._bad_argument(format('p_class: %L is no access class with policies', p_class));
  end if;
  if current_setting('transaction_isolation') <> 'read committed' and rowscope._security_changed_since_snapshot() then
    perform rowscope._stale_class(p_table);
  end if;
  if p_class is distinct from 'org' then
    return true;
  end if;
  -- org, the common case, without the access-set lookup (~60 us of the guard's
  -- ~95 us a statement, docs/performance.md): the acting login still holds the
  -- table's org class as the class refresh granted it, read from the catalog
  -- with this statement's snapshot (the class refresh commits with every change
  -- of what users may read, sql/050; a syscache lookup such as pg_has_role
  -- would be as stale as the plan). Only the definer's own grants count: a
  -- membership granted by anyone else (a deployer's mistake, which doctor's
  -- user_class_membership reports) is checked against the security data below.
  if exists (select from rowscope.secured_table t
             join pg_auth_members m on m.roleid = to_regrole(quote_ident(t.class_roles ->> 'org'))
             where t.name = p_table
               and m.member = to_regrole(quote_ident(coalesce(nullif(current_setting('role'), 'none'), session_user)))
               and m.grantor = current_user::regrole) then
    return true;
  end if;
  -- Computed, not cached: rowscope._access_set writes its session cache, and
  -- nothing may write while a parallel query runs (this path is rare now).
  v_me := rowscope._current_user_id();
  if v_me is null then
    return false;
  end if;
  if rowscope._scope_org(v_me, p_table, 'read') then
    return true;
  end if;
  if cardinality(rowscope._scope_owners(v_me, p_table, 'read')) > 0
     or cardinality(rowscope._scope_bus(v_me, p_table, 'read')) > 0
     or cardinality(rowscope._scope_records(v_me, p_table, 'read')) > 0 then
    perform rowscope._stale_class(p_table);
  end if;
  return false;
end
$$;
