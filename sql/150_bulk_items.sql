-- Bulk forms of the admin functions (sql/151..153; `rowscope import`,
-- src/import/): one call takes a JSON array of items. For the deployment
-- administrator (unrestricted in the single functions too) each kind is one
-- set-based statement; for a rowscope user every item goes through the single
-- function, so the privilege and no-escalation checks are exactly those.
-- Items are validated before anything is written, and any failure aborts the
-- whole call (nothing half-done). A problem names the item as
-- <argument>[index].<key>, index from 0.

-- 22023 for the first malformed item: not an object, a required key missing
-- (or null), a key of the wrong JSON type, or a key not in the lists (typos
-- would otherwise be ignored silently).
create function rowscope._bulk_check_items(p_items jsonb, p_argument text, p_required text[],
                                           p_uuids text[], p_texts text[], p_arrays text[] default '{}')
returns void
language plpgsql stable set search_path = pg_catalog, pg_temp as $$
declare
  v record;
  v_uuid constant text := '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$';
begin
  if p_items is null or jsonb_typeof(p_items) <> 'array' then
    perform rowscope._bad_argument(format('%s: give a JSON array of items', p_argument));
  end if;
  select e.n - 1 as i, null::text as key, 'is not a JSON object' as problem into v
    from jsonb_array_elements(p_items) with ordinality e(item, n)
   where jsonb_typeof(e.item) <> 'object' order by e.n limit 1;
  if not found then
    select c.i, c.key, c.problem into v from (
      select e.n - 1 as i, e.n, k.key,
             case when k.key <> all (p_uuids || p_texts || p_arrays) then 'is not a known key (known: '
                         || array_to_string(p_uuids || p_texts || p_arrays, ', ') || ')'
                  when jsonb_typeof(k.value) = 'null' then case when k.key = any (p_required) then 'is missing' end
                  -- a uuid in its canonical form only (what a JSON file carries); the
                  -- regular expression inline: a function call per item cost 17 µs
                  when k.key = any (p_uuids) and not (jsonb_typeof(k.value) = 'string' and (k.value #>> '{}') ~ v_uuid)
                    then format('%s is not a uuid', k.value)
                  when k.key = any (p_texts) and jsonb_typeof(k.value) <> 'string' then format('%s is not a string', k.value)
                  when k.key = any (p_arrays) and not (jsonb_typeof(k.value) = 'array'
                         and not exists (select from jsonb_array_elements(k.value) x where jsonb_typeof(x) <> 'string'))
                    then format('%s is not an array of strings', k.value)
             end as problem
        from jsonb_array_elements(p_items) with ordinality e(item, n)
       cross join lateral (
         select o.key, o.value from jsonb_each(e.item) o
         union all
         select r.key, 'null'::jsonb from unnest(p_required) r(key) where not e.item ? r.key
       ) k
    ) c
    where c.problem is not null
    order by c.n, c.key limit 1;
  end if;
  if v.i is not null then
    perform rowscope._bad_argument(format('%s[%s]%s: %s', p_argument, v.i, coalesce('.' || v.key, ''), v.problem));
  end if;
end
$$;

-- 22023 naming the item: the bulk functions' refusal of one item's argument.
create function rowscope._bulk_bad_item(p_argument text, p_index bigint, p_key text, p_problem text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  perform rowscope._bad_argument(format('%s[%s].%s: %s', p_argument, p_index, p_key, p_problem));
end
$$;

-- ANALYZE of the tables whose statistics a bulk load has outgrown: those never
-- analyzed with rows in them, or grown by more than a fifth (in pages) since
-- their last ANALYZE. The class refresh plans on them (sql/151 _create_logins
-- says what stale statistics cost); analyzing every table at every call cost
-- ~1.7 s a slice of 2,000 logins at the bench's scale 3, where only the first
-- slice after the shares found record_share outgrown. The size counts this
-- transaction's own rows (an import in one transaction), as ANALYZE does.
create function rowscope._analyze_outgrown(p_tables regclass[]) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v regclass;
begin
  for v in
    select c.oid::regclass from unnest(p_tables) with ordinality t(rel, n) join pg_class c on c.oid = t.rel
    where pg_relation_size(c.oid) / current_setting('block_size')::bigint > greatest(c.relpages, 0) * 1.2 + 1
    order by t.n
  loop
    execute format('analyze %s', v);
  end loop;
end
$$;

