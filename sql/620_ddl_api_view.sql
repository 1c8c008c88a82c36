-- Stage 2 of compilation (docs/architecture.md): api.<table> (docs/reference.md),
-- a security_invoker view over the data table, column for column. Built in the
-- database at migration time because its column list is the live table's;
-- called by the generated migration (src/compile/api-views.ts).
--
-- Secured columns (users hold no privilege on them in the data table):
-- * read as `case when (select field_read_mode(..)) = 0 then null else
--   <reader>(t.id) end`. The mode is an uncorrelated InitPlan, once per
--   statement, so a user who reads the column nowhere gets the same plan as a
--   table without secured columns and no per-row call; filters and sort keys
--   see the masked value. Only users who may read it (profile or field share)
--   pay a per-row definer lookup, which also checks the row's read right
--   because users can call it directly.
-- * written through INSTEAD OF INSERT / UPDATE triggers that perform the write
--   on the data table as the definer, so the row guard and the field guard
--   (sql/330_field_writes.sql) decide with the acting user's rights. An update
--   writes only the columns whose value changed from what the user saw, so a
--   masked NULL is never written back. A value the user tried on a record
--   whose column they may not update is refused after the write, with the
--   field guard's text, also when it equals the stored value (else a guess
--   that happens to be right would be told apart from a wrong one).
-- * an UPDATE that names a secured column, NULL included, is refused on every
--   row it reaches for a user who may update it on no record (statement
--   triggers per column: rowscope._tg_field_named). DELETE stays auto-updatable. Views of
--   tables without secured columns keep no triggers (plain auto-updatable).

-- Name of the generated INSTEAD OF trigger function of a table's api view.
create function rowscope._field_writer_name(p_table text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select left('field_write_' || p_table, 55) || '_' || left(md5(p_table), 7)
$$;

create function rowscope._build_api_view(p_schema text, p_table text, p_api_schema text, p_secured text[]) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := format('%I.%I', p_schema, p_table)::regclass;
  v_view text := format('%I.%I', p_api_schema, p_table);
  v_user_owned boolean;
  c record;
  v_cols text[] := '{}';
  v_plain text[] := '{}';
  v_insert_cols text[] := '{}';
  v_insert_vals text[] := '{}';
  v_sets text[] := '{}';
  v_tried text[] := '{}';
  v_defaults text[] := '{}';
  v_fn text;
  v_writer text := rowscope._field_writer_name(p_table);
  v_has_secured boolean := false;
begin
  execute format('create schema if not exists %I', p_api_schema);
  -- a non-superuser migrating role may hand a view to rowscope_owner only when
  -- rowscope_owner may create in its schema (NOLOGIN: no user acts as it)
  execute format('grant create on schema %I to rowscope_owner', p_api_schema);
  execute format('grant usage on schema %I to rowscope_user', p_api_schema);
  execute format('revoke create on schema %I from public', p_api_schema);
  execute format('drop view if exists %s', v_view);
  execute format('drop trigger if exists rowscope_field_guard on %s', v_rel);
  execute format('drop function if exists rowscope.%I()', v_writer);
  -- every reader, then those of the columns secured now again below
  perform rowscope._drop_secured_readers(p_table);
  v_user_owned := (select count(*) = 2 from pg_attribute
                   where attrelid = v_rel and attname in ('owner_id', 'owning_business_unit') and not attisdropped);
  for c in
    select a.attname, format_type(a.atttypid, a.atttypmod) as type, a.attgenerated, a.attidentity,
           pg_get_expr(d.adbin, d.adrelid) as default_expr
    from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = v_rel and a.attnum > 0 and not a.attisdropped order by a.attnum
  loop
    if c.attname = any (p_secured) then
      v_has_secured := true;
      v_fn := rowscope._secured_reader_name(p_table, c.attname);
      execute format('create function rowscope.%I(p_id uuid) returns %s language sql stable security definer '
                     'set search_path = pg_catalog, pg_temp as %L',
                     v_fn, c.type,
                     format('select t.%I from %s t where t.id = p_id and rowscope._can_read_field(%L, %L, p_id)'
                            ' and (rowscope._is_deployment_admin() or rowscope._has_right(rowscope._current_user_id(), %L, ''read'', t.id, %s))',
                            c.attname, v_rel, p_table, c.attname, p_table,
                            case when v_user_owned then 't.owner_id, t.owning_business_unit' else 'null, null' end));
      execute format('alter function rowscope.%I(uuid) owner to rowscope_definer', v_fn);
      execute format('revoke all on function rowscope.%I(uuid) from public', v_fn);
      execute format('grant execute on function rowscope.%I(uuid) to rowscope_user', v_fn);
      v_cols := v_cols || format('case when (select rowscope.field_read_mode(%L, %L)) = 0 then null::%s else rowscope.%I(t.id) end as %I',
                                 p_table, c.attname, c.type, v_fn, c.attname);
    else
      v_cols := v_cols || format('t.%I', c.attname);
      v_plain := v_plain || quote_ident(c.attname);
    end if;
    if c.attgenerated = '' and c.attidentity <> 'a' then
      v_insert_cols := v_insert_cols || quote_ident(c.attname);
      v_insert_vals := v_insert_vals || format('new.%I', c.attname);
      -- compared as text: every type casts to text, not every type has equality
      -- a secured column the user tried and may not update here stays as stored
      -- (see v_tried below)
      v_sets := v_sets || format('%1$I = case when new.%1$I::text is distinct from old.%1$I::text%2$s then new.%1$I else d.%1$I end',
                                 c.attname, case when c.attname = any (p_secured) then format(' and not (%L = any (v_blocked))', c.attname) else '' end);
    end if;
    if c.default_expr is not null and c.attgenerated = '' then
      v_defaults := v_defaults || format('alter column %I set default %s', c.attname, c.default_expr);
    end if;
  end loop;
  -- No security_barrier: it keeps the view from being pulled up into the query,
  -- so an ordered page becomes Sort over a full scan instead of an index scan
  -- (test/integration/field-security/plan.test.ts), and a reader's secured
  -- columns are computed for every row below the Sort instead of for the rows
  -- of the page (pulled up, PostgreSQL postpones expensive expressions past
  -- Sort/Limit). The view has no WHERE of its own, the RLS quals of the table
  -- stay barrier quals (leaky predicates run after them), and it exposes only
  -- the masked expression of a secured column: the barrier protects nothing.
  execute format('create view %s with (security_invoker = true) as select %s from %s t',
                 v_view, array_to_string(v_cols, ', '), v_rel);
  execute format('alter view %s owner to rowscope_owner', v_view);
  execute format('revoke all on %s from public', v_view);
  execute format('grant select, insert, update, delete on %s to rowscope_user', v_view);
  execute format('revoke all on %s from rowscope_user', v_rel);
  execute format('grant select (%1$s), insert (%1$s), update (%1$s) on %2$s to rowscope_user', array_to_string(v_plain, ', '), v_rel);
  execute format('grant delete on %s to rowscope_user', v_rel);
  if not v_has_secured then
    return;
  end if;
  -- Which secured columns the user tried (a value other than the one they
  -- read, or any value at all for a column they may update nowhere:
  -- rowscope._tg_field_named) without update on this record. They are left
  -- out of the write, so the row's own checks (the row guard) answer first and
  -- the field guard sees no change of them; then the first of them, in the
  -- model's order, is refused. The answer never depends on the stored value.
  for c in select unnest(p_secured) as col loop
    v_tried := v_tried || format($t$
      if (new.%1$I::text is distinct from old.%1$I::text or current_setting(%3$L, true) = 'on')
         and not rowscope._field_allows(v_me, %2$L, %1$L, old.id, 'update') then
        v_blocked := v_blocked || %1$L::text;
      end if;$t$, c.col, p_table, rowscope._field_named_setting(p_table, c.col));
  end loop;

  -- AFTER: the row guard (BEFORE) decides first (sql/330_field_writes.sql)
  execute format('create trigger rowscope_field_guard after insert or update or delete on %s for each row execute function rowscope._tg_field_guard(%s)',
                 v_rel, array_to_string(array(select quote_literal(x) from unnest(array[p_table] || p_secured) x), ', '));
  -- an INSTEAD OF insert sees the view's defaults, not the table's: copy them
  if cardinality(v_defaults) > 0 then
    execute format('alter view %s %s', v_view, array_to_string(v_defaults, ', '));
  end if;
  execute format($f$create function rowscope.%1$I() returns trigger language plpgsql security definer
set search_path = pg_catalog, pg_temp as %2$L$f$, v_writer, format($body$
declare
  v_id uuid;
  v_me uuid;
  v_blocked text[] := '{}';
begin
  if tg_op = 'INSERT' then
    insert into %1$s (%2$s) values (%3$s) returning id into v_id;
  else
    v_me := rowscope._current_user_id();
    if v_me is not null then%6$s
    end if;
    update %1$s d set %4$s where d.id = old.id returning d.id into v_id;
    if cardinality(v_blocked) > 0 then
      perform rowscope._refuse_field_write(v_me, %7$L, v_blocked[1], old.id, 'update');
    end if;
  end if;
  -- RETURNING shows the row as the user sees it: secured columns masked
  select v.* into new from %5$s v where v.id = v_id;
  return new;
end
$body$, v_rel, array_to_string(v_insert_cols, ', '), array_to_string(v_insert_vals, ', '),
        array_to_string(v_sets, ', '), v_view, array_to_string(v_tried, ''), p_table));
  execute format('create trigger rowscope_field_write instead of insert or update on %s for each row execute function rowscope.%I()',
                 v_view, v_writer);
  for c in select unnest(p_secured) as col, w from unnest(array['before', 'after']) w loop
    execute format('create trigger %I %s update of %I on %s for each statement execute function rowscope._tg_field_named(%L, %L)',
                   left('rowscope_field_named_' || c.col, 50) || '_' || left(md5(c.col), 7) || '_' || c.w, c.w, c.col, v_view, p_table, c.col);
  end loop;
  execute format('alter function rowscope.%I() owner to rowscope_definer', v_writer);
  execute format('revoke all on function rowscope.%I() from public', v_writer);
  -- the writer inserts as the definer and reads the result back through the view
  execute format('grant insert on %s to rowscope_definer', v_rel);
  execute format('grant usage on schema %I to rowscope_definer', p_api_schema);
  execute format('grant select on %s to rowscope_definer', v_view);
end
$$;
