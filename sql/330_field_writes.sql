-- Writes of secured columns (SPEC §2 "Field security"), enforced on the data
-- table itself so that every path obeys: the api view's INSTEAD OF triggers
-- (sql/340_field_api_view.sql), definer helpers, and direct SQL (where users
-- hold no privilege on the column anyway). A value given on insert needs
-- `create`; a changed value on update needs `update` (profile or field share).
-- Trigger arguments: the model table name, then its secured columns.

create function rowscope._tg_field_guard() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_table text := tg_argv[0];
  v_new jsonb;
  v_old jsonb;
  v_me uuid;
  v_column text;
  v_permission text;
begin
  if tg_op = 'DELETE' then
    -- field shares die with their record (the row guard has already refused
    -- what may not be deleted, or will: a refusal rolls this back)
    delete from rowscope.field_share where table_name = v_table and record_id = old.id;
    return old;
  end if;
  v_new := to_jsonb(new);
  v_old := case when tg_op = 'UPDATE' then to_jsonb(old) end;
  v_permission := case when tg_op = 'INSERT' then 'create' else 'update' end;
  for i in 1 .. tg_nargs - 1 loop
    v_column := tg_argv[i];
    -- on insert, a value (not null) sets the column; on update, a change does
    if (tg_op = 'INSERT' and v_new -> v_column <> 'null'::jsonb)
       or (tg_op = 'UPDATE' and v_new -> v_column is distinct from v_old -> v_column) then
      if v_me is null then
        v_me := rowscope._acting_user(v_table, v_permission, new.id);
        if v_me is null then
          return new; -- the deployment administrator
        end if;
      end if;
      if not rowscope._field_allows(v_me, v_table, v_column, case when tg_op = 'UPDATE' then old.id end, v_permission) then
        perform rowscope._refuse(v_me, v_permission || ' of column ' || v_column, v_table,
          case when tg_op = 'UPDATE' then old.id::text end,
          format('%s.%s is a secured column and no field security profile of the user or their teams%s grants %s on it',
                 v_table, v_column, case when tg_op = 'UPDATE' then ', and no field share,' else '' end, v_permission));
      end if;
    end if;
  end loop;
  return new;
end
$$;
