-- rowscope.grant_access_bulk(table_name, shares jsonb): the bulk form of
-- grant_access (sql/110); conventions in sql/150_bulk_items.sql. For the
-- deployment administrator: one upsert of the direct shares (rights merged
-- with an existing direct share, as grant_access does), then the cascade
-- (rowscope._cascade_share) set-based, one statement per relationship and
-- level, replacing the inherited shares each source gives. Cascades from the
-- deployment administrator filter nothing (p_shared_by null in
-- _cascade_share), so the result is the same as one grant_access per item.

create type rowscope.bulk_share as (table_name text, record_id uuid, principal_id uuid, rights text[]);

-- Cascades the given (source) shares one level down, for every relationship
-- whose share option is not none; returns the shares it wrote, the next level's
-- sources.
create function rowscope._cascade_share_level(p_table text, p_sources rowscope.bulk_share[]) returns rowscope.bulk_share[]
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  rel record;
  v_parent rowscope.secured_table := rowscope._model_table(p_table);
  v_level rowscope.bulk_share[];
  v_next rowscope.bulk_share[] := '{}';
  v_principals uuid[];
  v_replaces boolean;
begin
  for rel in
    select r.table_name, r.column_name, r.cascade_share as mode, s.data_schema, s.ownership
    from rowscope.relationship r join rowscope.secured_table s on s.name = r.table_name
    where r.references_table = p_table and r.cascade_share <> 'none'
    order by r.table_name, r.column_name
  loop
    -- the source's previous cascade to these children goes first (a re-grant
    -- replaces it). Only when one can exist: the DELETE probes every child of
    -- every source, and in a first load (an import, the bench: shares given in
    -- slices by principal) none of the principals holds a share cascaded from
    -- this table yet, which one index lookup per principal shows
    -- (record_share_principal)
    if v_principals is null then
      v_principals := array(select distinct f.principal_id from unnest(p_sources) f);
    end if;
    execute format($q$
      select exists (select from rowscope.record_share s
                     where s.table_name = %1$L and s.principal_id = any ($1) and s.inherited_from_table = %2$L)$q$,
      rel.table_name, p_table) into v_replaces using v_principals;
    if v_replaces then
      execute format($q$
        delete from rowscope.record_share s
        using unnest($1) f, %1$I.%2$I c
        where c.%3$I = f.record_id and s.table_name = %2$L and s.record_id = c.id and s.principal_id = f.principal_id
          and s.inherited_from_table = f.table_name and s.inherited_from_record = f.record_id$q$,
        rel.data_schema, rel.table_name, rel.column_name) using p_sources;
    end if;
    -- user_owned: only the children owned by the parent's owner
    execute format($q$
      with written as (
        insert into rowscope.record_share (table_name, record_id, principal_id, rights, inherited_from_table, inherited_from_record)
        select %2$L, c.id, f.principal_id, f.rights, f.table_name, f.record_id
        from unnest($1) f join %1$I.%2$I c on c.%3$I = f.record_id
        %4$s
        returning table_name, record_id, principal_id, rights
      )
      select coalesce(array_agg(row(w.table_name, w.record_id, w.principal_id, w.rights)::rowscope.bulk_share), '{}') from written w$q$,
      rel.data_schema, rel.table_name, rel.column_name,
      case when rel.mode = 'user_owned' and rel.ownership = 'user' and v_parent.ownership = 'user'
           then format('join %I.%I p on p.id = f.record_id where c.owner_id = p.owner_id', v_parent.data_schema, v_parent.name)
           else '' end)
      into v_level using p_sources;
    if cardinality(v_level) > 0 then
      v_next := v_next || v_level;
    end if;
  end loop;
  return v_next;
end
$$;

-- Items: {record_id, principal_id, rights}.
create function rowscope.grant_access_bulk(table_name text, shares jsonb) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
#variable_conflict use_column
declare
  st rowscope.secured_table := rowscope._model_table(grant_access_bulk.table_name);
  v record;
  v_sources rowscope.bulk_share[];
  v_depth int := 0;
begin
  perform rowscope._bulk_check_items(shares, 'shares', array['record_id', 'principal_id', 'rights'],
                                     array['record_id', 'principal_id'], '{}', array['rights']);
  if not rowscope._is_deployment_admin() then
    for v in select e.item from jsonb_array_elements(shares) with ordinality e(item, n) order by e.n loop
      perform rowscope.grant_access(st.name, (v.item ->> 'record_id')::uuid, (v.item ->> 'principal_id')::uuid,
                                    array(select jsonb_array_elements_text(v.item -> 'rights')));
    end loop;
    return;
  end if;
  -- as grant_access: the record, the rights, the principal (its order of checks)
  execute format($q$
    select * from (
      select e.n - 1 as i,
             case when not exists (select from %1$I.%2$I r where r.id = (e.item ->> 'record_id')::uuid) then 'record_id'
                  when jsonb_array_length(e.item -> 'rights') = 0 then 'rights (empty)'
                  when exists (select from jsonb_array_elements_text(e.item -> 'rights') x
                               where x not in ('read', 'write', 'delete', 'append', 'append_to', 'assign', 'share')) then 'rights'
                  when not exists (select from rowscope.principal p where p.id = (e.item ->> 'principal_id')::uuid) then 'principal_id'
             end as key, e.item
      from jsonb_array_elements($1) with ordinality e(item, n)
    ) c where c.key is not null order by c.i limit 1$q$, st.data_schema, st.name) into v using shares;
  if v.i is not null then
    perform rowscope._bulk_bad_item('shares', v.i, split_part(v.key, ' ', 1), case v.key
      when 'record_id' then format('no such record %s in %s', v.item ->> 'record_id', st.name)
      when 'rights (empty)' then 'give at least one of read, write, delete, append, append_to, assign, share'
      when 'rights' then format('%L is not a right (read, write, delete, append, append_to, assign, share)',
        (select x from jsonb_array_elements_text(v.item -> 'rights') x
          where x not in ('read', 'write', 'delete', 'append', 'append_to', 'assign', 'share') limit 1))
      else format('no such user or team %s', v.item ->> 'principal_id') end);
  end if;

  -- a large batch: the class refresh its statements trigger (sql/050) plans the
  -- share lookups on record_share's statistics, stale in a bulk load (sql/151
  -- _create_logins says what that cost). Not while no user of this database
  -- has a login yet (an import or bench load before create_user_logins): the
  -- refresh then has nobody to refresh, and at a million shares each ANALYZE
  -- costs a second
  if jsonb_array_length(shares) >= 1000
     and exists (select from pg_auth_members m where m.roleid = to_regrole(quote_ident(rowscope._members_role()))) then
    perform rowscope._analyze_outgrown(array['rowscope.record_share']::regclass[]);
  end if;
  -- the classes of the principals named are refreshed once, at the end, not by
  -- each statement below (sql/050 rowscope.refresh_deferral): the cascaded
  -- shares and the replaced ones go to the same principals
  perform rowscope._defer_refresh(true);
  -- the direct shares: each (record, principal) once, its rights merged with the
  -- batch's other items and with an existing direct share
  with item as (
    select (e.item ->> 'record_id')::uuid as record_id, (e.item ->> 'principal_id')::uuid as principal_id,
           array(select distinct x from jsonb_array_elements_text(e.item -> 'rights') x order by x) as rights
    from jsonb_array_elements(shares) e(item)
  ), merged as (
    select i.record_id, i.principal_id, array(select distinct x from unnest(i.rights) x order by x) as rights
    from (select record_id, principal_id, array_agg(r) as rights
          from item cross join unnest(item.rights) r group by record_id, principal_id) i
  ), written as (
    insert into rowscope.record_share as s (table_name, record_id, principal_id, rights, shared_by)
    select st.name, m.record_id, m.principal_id, m.rights, null from merged m
    order by m.record_id, m.principal_id
    on conflict (table_name, record_id, principal_id) where inherited_from_record is null
    do update set rights = array(select distinct x from unnest(s.rights || excluded.rights) x order by x),
                  shared_by = null, shared_on = now()
    where not (excluded.rights <@ s.rights)
    returning s.record_id, s.principal_id, s.rights
  )
  -- every item's share is cascaded again, as grant_access does even when nothing changed
  select array_agg(row(st.name, m.record_id, m.principal_id, coalesce(w.rights, d.rights))::rowscope.bulk_share)
    into v_sources
    from merged m
    left join written w on w.record_id = m.record_id and w.principal_id = m.principal_id
    left join rowscope.record_share d on w.record_id is null and d.table_name = st.name and d.record_id = m.record_id
                                     and d.principal_id = m.principal_id and d.inherited_from_record is null;
  v_sources := coalesce(v_sources, '{}');
  -- down the relationships, level by level (as deep as the data goes)
  while cardinality(v_sources) > 0 loop
    v_depth := v_depth + 1;
    if v_depth > 64 then
      perform rowscope._bad_argument(format('shares: the share cascade from %s is more than 64 levels deep', st.name));
    end if;
    select coalesce(array_agg(n), '{}') into v_sources from (
      select unnest(rowscope._cascade_share_level(s.table_name, array_agg(s))) n
      from unnest(v_sources) s group by s.table_name
    ) x;
  end loop;
  perform rowscope._defer_refresh(false);
  perform rowscope._refresh_principals(array(select distinct (e.item ->> 'principal_id')::uuid from jsonb_array_elements(shares) e(item)));
end
$$;
