-- Change history of the model tables (docs/security-model.md "Audit"). compile/audit.ts puts
-- one AFTER row trigger, rowscope_audit, on each table:
--   rowscope._tg_audit('<table>', 'all')                 every column
--   rowscope._tg_audit('<table>', 'columns', 'a', 'b')   the listed columns
--   rowscope._tg_audit('<table>', 'assign')              an unaudited user-owned
--                                                        table: assigns only, since
--                                                        an assign is a security change
-- AFTER triggers see the row as the row guard left it, fire on every path (api
-- view, direct SQL, definer functions, cascades) and roll back with a refused
-- statement, so a refusal leaves no row.

-- Columns rowscope maintains on every write: they would make every update
-- "change" something, and the log row's own at / user_id say the same.
create function rowscope._audit_bookkeeping_columns() returns text[]
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select array['id', 'created_by', 'created_on', 'modified_by', 'modified_on']
$$;

-- {"column": {"old": ..., "new": ...}} for the columns whose value differs. An
-- insert passes '{}' as old and a delete '{}' as new, so every column counts
-- (a JSON null differs from a missing key).
create function rowscope._audit_diff(p_old jsonb, p_new jsonb, p_columns text[]) returns jsonb
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select coalesce(jsonb_object_agg(k, jsonb_build_object('old', p_old -> k, 'new', p_new -> k)), '{}')
  from unnest(p_columns) k
  where (p_old -> k) is distinct from (p_new -> k)
$$;

create function rowscope._tg_audit() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_table text := tg_argv[0];
  v_mode text := tg_argv[1];
  v_old jsonb := coalesce(to_jsonb(old), '{}');
  v_new jsonb := coalesce(to_jsonb(new), '{}');
  v_row jsonb := case when tg_op = 'DELETE' then v_old else v_new end;
  v_record uuid := (v_row ->> 'id')::uuid;
  v_ownership text[] := array['owner_id', 'owning_business_unit'];
  v_columns text[];
  v_changes jsonb;
begin
  v_columns := case v_mode
    when 'all' then array(select k from jsonb_object_keys(v_row) k
                          where k <> all (rowscope._audit_bookkeeping_columns()) order by k)
    when 'columns' then tg_argv[2:tg_nargs - 1]
    else '{}'::text[] end;

  if tg_op <> 'UPDATE' then
    perform rowscope._audit_append(v_table, v_record, lower(tg_op), rowscope._audit_diff(v_old, v_new, v_columns));
    return null;
  end if;

  if (v_old -> 'owner_id') is distinct from (v_new -> 'owner_id') then
    -- an assign (docs/security-model.md): its own row, with the owner and owning BU change
    perform rowscope._audit_append(v_table, v_record, 'assign', rowscope._audit_diff(v_old, v_new, v_ownership));
    v_columns := array(select c from unnest(v_columns) c where c <> all (v_ownership));
  end if;
  v_changes := rowscope._audit_diff(v_old, v_new, v_columns);
  -- an update that changes no audited column adds no row
  if v_changes <> '{}' then
    perform rowscope._audit_append(v_table, v_record, 'update', v_changes);
  end if;
  return null;
end
$$;
