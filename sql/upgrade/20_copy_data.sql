-- Upgrade, step 2 (src/emit/upgrade.ts): after the new core was created, every
-- table of the previous version (the schema named by rowscope.upgrade_schema,
-- step 1) is copied into its namesake in the new rowscope schema: the columns
-- they have in common, the new version's defaults for new columns, and the
-- per-version transformations below for columns whose meaning moved. A table
-- of the new schema that also exists in the old one holds exactly the old rows
-- afterwards (the rows the new core seeds, such as the audit chain's state,
-- are replaced by the old ones); a table only the new version has keeps its
-- seed rows.
--
-- The copy is not a change of security data: no trigger of the new schema runs
-- (no audit rows, no access-class refresh per row; the model setup that follows
-- re-derives every user's classes once). Tables are filled parents first
-- (foreign keys stay checked) and identity sequences continue after the
-- copied ids.
do $copy$
declare
  v_old text := current_setting('rowscope.upgrade_schema');
  v_new oid := 'rowscope'::regnamespace;
  v_done text[] := '{}';
  v_todo text[];
  v_progress boolean;
  v_table text;
  v_cols text;
  v_exprs text;
  v_serial record;
begin
  -- Columns a newer version added whose values derive from an older version's
  -- columns, used only when the old table lacks the column. Add a line per
  -- core change that needs one (test/integration/upgrade/ keeps each tested).
  create temporary table rowscope_upgrade_hook (table_name text, column_name text, expression text) on commit drop;
  insert into rowscope_upgrade_hook values
    -- audit chain by seq (3039fd2): before it the id was the gapless chain
    -- position, so each row keeps its place and its hashes (seq is not hashed)
    ('audit_log', 'seq', 'o.id'),
    ('audit_chain', 'tip_seq', 'o.tip_id'),
    ('audit_chain', 'base_seq', 'o.base_id');

  select array_agg(c.relname::text order by c.relname) into v_todo
  from pg_class c
  where c.relnamespace = v_new and c.relkind = 'r'
    and to_regclass(format('%I.%I', v_old, c.relname)) is not null;

  for v_table in select unnest(v_todo) loop
    execute format('alter table rowscope.%I disable trigger user', v_table);
  end loop;

  while cardinality(v_todo) > 0 loop
    v_progress := false;
    foreach v_table in array v_todo loop
      -- parents first: every table this one references must be filled already
      continue when exists (
        select from pg_constraint k
        where k.conrelid = format('rowscope.%I', v_table)::regclass and k.contype = 'f'
          and k.confrelid <> k.conrelid
          and (select relname from pg_class where oid = k.confrelid)::text = any (v_todo)
          and not (select relname from pg_class where oid = k.confrelid)::text = any (v_done));
      select string_agg(format('%I', a.attname), ', ' order by a.attnum),
             string_agg(case when o.attname is not null then format('o.%I', a.attname) else h.expression end, ', ' order by a.attnum)
        into v_cols, v_exprs
      from pg_attribute a
      left join pg_attribute o
        on o.attrelid = format('%I.%I', v_old, v_table)::regclass and o.attname = a.attname and o.attnum > 0 and not o.attisdropped
      left join rowscope_upgrade_hook h on h.table_name = v_table and h.column_name = a.attname
      where a.attrelid = format('rowscope.%I', v_table)::regclass and a.attnum > 0 and not a.attisdropped
        and a.attgenerated = ''
        and (o.attname is not null or h.expression is not null);
      execute format('delete from rowscope.%I', v_table);
      if v_cols is not null then
        execute format('insert into rowscope.%I (%s) overriding system value select %s from %I.%I o',
                       v_table, v_cols, v_exprs, v_old, v_table);
      end if;
      v_done := v_done || v_table;
      v_todo := array_remove(v_todo, v_table);
      v_progress := true;
    end loop;
    if not v_progress then
      raise exception 'rowscope: the upgrade cannot order the copy of %: their foreign keys form a cycle', v_todo;
    end if;
  end loop;

  foreach v_table in array v_done loop
    execute format('alter table rowscope.%I enable trigger user', v_table);
  end loop;

  -- identity and serial columns continue after the copied values
  for v_serial in
    select a.attrelid::regclass as rel, a.attname, pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) as seq
    from pg_attribute a join pg_class t on t.oid = a.attrelid
    where t.relnamespace = v_new and t.relkind = 'r' and a.attnum > 0 and not a.attisdropped
      and pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) is not null
  loop
    execute format('select setval(%L, coalesce((select max(%I) from %s), 0) + 1, false)', v_serial.seq, v_serial.attname, v_serial.rel);
  end loop;
end
$copy$;
