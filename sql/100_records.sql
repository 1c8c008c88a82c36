-- Looking up one record of a model table for the functions that take a record
-- id (share, assign, access teams). Every such function reports a record the
-- caller cannot read exactly like one that does not exist (22023 "no such
-- record"), so nothing leaks.

create function rowscope._model_table(p_table text) returns rowscope.secured_table
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table;
begin
  select * into st from rowscope.secured_table where name = p_table;
  if not found then
    perform rowscope._bad_argument(format('table_name: %L is not a table of the model', p_table));
  end if;
  return st;
end
$$;

-- Owner and owning BU of a record (nulls for organization-owned tables); present = false when absent.
create function rowscope._record_facts(p_table text, p_record uuid, out present boolean, out owner_id uuid, out owning_business_unit uuid)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table := rowscope._model_table(p_table);
begin
  if st.ownership = 'user' then
    execute format('select true, owner_id, owning_business_unit from %I.%I where id = $1', st.data_schema, st.name)
      into present, owner_id, owning_business_unit using p_record;
  else
    execute format('select true from %I.%I where id = $1', st.data_schema, st.name) into present using p_record;
  end if;
  present := coalesce(present, false);
end
$$;

-- The record's facts, or 22023 "no such record" when it is absent or the acting
-- user cannot read it. The deployment administrator reads everything.
create function rowscope._readable_record(p_table text, p_record uuid, out owner_id uuid, out owning_business_unit uuid)
language plpgsql stable security definer set search_path = pg_catalog, pg_temp as $$
declare
  f record;
  v_me uuid := rowscope._current_user_id();
begin
  select * into f from rowscope._record_facts(p_table, p_record);
  -- a user's read right first: the administrator probe is the slower check and
  -- a rowscope user's calls (assign's hot path, sql/120) never need it
  if not f.present
     or not ((v_me is not null and rowscope._has_right(v_me, p_table, 'read', p_record, f.owner_id, f.owning_business_unit))
             or rowscope._is_deployment_admin()) then
    perform rowscope._bad_argument(format('record_id: no such record %s in %s', coalesce(p_record::text, 'null'), p_table));
  end if;
  owner_id := f.owner_id;
  owning_business_unit := f.owning_business_unit;
end
$$;

-- The seven rights on a record, in the order answers and messages list them
-- (the model's RIGHTS, src/model/types.ts; create is a privilege, not a right
-- on a record). One home for check_access, explain_access, explain_fix, the
-- previous owner's share and the argument checks below.
create function rowscope._record_rights() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select array['read', 'write', 'delete', 'append', 'append_to', 'assign', 'share']
$$;

-- A rights argument (p_argument names it): at least one, each a right; sorted, without repeats.
create function rowscope._check_rights(p_rights text[], p_argument text) returns text[]
language plpgsql immutable set search_path = pg_catalog, pg_temp as $$
declare
  v_bad text;
begin
  if p_rights is null or cardinality(p_rights) = 0 then
    perform rowscope._bad_argument(format('%s: give at least one of %s', p_argument, array_to_string(rowscope._record_rights(), ', ')));
  end if;
  select r into v_bad from unnest(p_rights) r
   where r is null or not (r = any (rowscope._record_rights())) limit 1;
  if found then
    perform rowscope._bad_argument(format('%s: %L is not a right (%s)', p_argument, v_bad, array_to_string(rowscope._record_rights(), ', ')));
  end if;
  return array(select distinct r from unnest(p_rights) r order by r);
end
$$;

-- Cascades (assign, delete remove_link) act on child records "without a separate
-- check of the caller's rights on each child" (docs/security-model.md). The row guard lets a
-- change through when its record is listed here for the current transaction.
-- Only the definer writes this table, so a user cannot grant themselves a pass.
create table rowscope.cascade_pass (
  txid bigint not null,
  table_name text not null,
  record_id uuid not null,
  primary key (txid, table_name, record_id)
);

-- Opens / closes the pass for these records of a table around a cascade's statement.
-- The transaction-local setting only spares the row guard a lookup in
-- transactions that never opened a pass: a user who sets it gains nothing.
create function rowscope._open_cascade_pass(p_table text, p_records uuid[]) returns void
language sql security definer set search_path = pg_catalog, pg_temp as $$
  select set_config('rowscope.cascade_pass_opened', 'on', true);
  insert into rowscope.cascade_pass (txid, table_name, record_id)
  select txid_current(), p_table, unnest(p_records) on conflict do nothing
$$;

create function rowscope._close_cascade_pass(p_table text, p_records uuid[]) returns void
language sql security definer set search_path = pg_catalog, pg_temp as $$
  delete from rowscope.cascade_pass where txid = txid_current() and table_name = p_table and record_id = any (p_records)
$$;

-- The one bracket every cascade writes through (sql/140: assign and delete
-- cascades, a held-back assign, records following their owner's BU): sets the
-- given uuid columns of these records of a model table, each change let through
-- the row guard by a pass opened just for it and closed after. Internal: the
-- callers decided that the cascade is allowed; a null value nulls the column.
create function rowscope._update_with_cascade_pass(p_table text, p_records uuid[], p_columns text[], p_values uuid[]) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  st rowscope.secured_table := rowscope._model_table(p_table);
begin
  if cardinality(p_records) = 0 then
    return;
  end if;
  perform rowscope._open_cascade_pass(p_table, p_records);
  execute format('update %I.%I set %s where id = any ($1)', st.data_schema, st.name,
                 (select string_agg(format('%I = $2[%s]', c, i), ', ' order by i) from unnest(p_columns) with ordinality c(c, i)))
    using p_records, p_values;
  perform rowscope._close_cascade_pass(p_table, p_records);
end
$$;

create function rowscope._has_cascade_pass(p_table text, p_record uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select current_setting('rowscope.cascade_pass_opened', true) = 'on'
     and exists (select from rowscope.cascade_pass
                 where txid = txid_current() and table_name = p_table and record_id = p_record)
$$;

-- Assigns made by a plain UPDATE of owner_id, waiting for the end of their
-- statement. An assign is governed by the assign right alone although the row
-- then leaves the assigner's read scope (docs/security-model.md), but PostgreSQL checks an
-- updated row against the SELECT policies when the UPDATE reads columns (its
-- WHERE). So the row guard keeps the row's owner for the statement itself (it is
-- still readable: the UPDATE just reached it) and records the assign here; the
-- after-change trigger applies it, with the cascades, when the statement's rows
-- are done (sql/140). No read policy has to admit rows it cannot read.
create table rowscope.pending_assign (
  txid bigint not null,
  table_name text not null,
  record_id uuid not null,
  new_owner uuid not null,
  new_business_unit uuid,
  primary key (txid, table_name, record_id)
);
