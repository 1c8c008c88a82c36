-- Writes of secured columns (docs/security-model.md "Field security"), enforced on the data
-- table itself so that every path obeys: the api view's INSTEAD OF triggers
-- (sql/620_ddl_api_view.sql), definer helpers, and direct SQL (where users
-- hold no privilege on the column anyway). A value given on insert needs
-- `create`; a changed value on update needs `update` (profile or field share).
--
-- A refusal must never depend on a value the user cannot read (docs: the
-- outside test's F13: comparing a guess with the stored value before the row's
-- own checks told a wrong guess from the right one). So:
-- * the guard is an AFTER trigger: the row guard (BEFORE, sql/080) has
--   refused what the row itself forbids, whatever the value;
-- * its refusal text is _refuse_field_write's, the same text the api view's
--   writer (sql/620_ddl_api_view.sql) raises when a user tries a value on a
--   record whose column they may not update and the guess equals the stored
--   value (no change here, but a tried change there);
-- * an UPDATE naming the column, NULL included, is refused on every row it
--   reaches for a user who may update the column on no record
--   (_tg_field_named, statement triggers of the api view).

-- The one refusal of a secured-column write, for every path and every value.
create function rowscope._refuse_field_write(p_user uuid, p_table text, p_column text, p_record uuid, p_permission text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  perform rowscope._refuse(p_user, p_permission || ' of column ' || p_column, p_table,
    coalesce(p_record::text, case when p_permission = 'update' then '(any record)' end),
    format('%s.%s is a secured column and no field security profile of the user or their teams%s grants %s on it',
           p_table, p_column, case when p_permission = 'update' then ', and no field share,' else '' end, p_permission));
end
$$;

-- Whether the user may update the column on at least one record: a profile,
-- or a field share with update on some record.
create function rowscope._field_updatable_somewhere(p_user uuid, p_table text, p_column text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._field_profile_allows(p_user, p_table, p_column, 'update')
      or exists (select from rowscope.field_share s
                 join rowscope.system_user u on u.id = p_user and not u.is_disabled
                 where s.table_name = p_table and s.column_name = p_column and s.can_update
                   and s.principal_id = any (rowscope._field_principals(p_user)))
$$;

-- The transaction-local setting that tells the api view's writer that the
-- running UPDATE names the column and the acting user may update it nowhere.
create function rowscope._field_named_setting(p_table text, p_column text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select 'rowscope.field_named_' || md5(p_table || '.' || p_column)
$$;

-- BEFORE and AFTER UPDATE OF <column> ... FOR EACH STATEMENT on the api view
-- (arguments: the model table, the column): they fire only when the statement
-- names the column. Before, the setting is raised for a user who may update
-- the column on no record; the writer then refuses every row it reaches,
-- after the row's own checks, even when the value is the masked NULL (a row
-- the user cannot read is not reached: nothing is said about it). After, it
-- is lowered. A user who lowers it from a function in the SET list only
-- turns a refused no-op into an accepted no-op.
create function rowscope._tg_field_named() returns trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_me uuid;
begin
  if tg_when = 'AFTER' then
    perform set_config(rowscope._field_named_setting(tg_argv[0], tg_argv[1]), '', true);
    return null;
  end if;
  v_me := rowscope._current_user_id();
  -- the deployment administrator writes anything; other non-users are
  -- refused by the row guard of the first row they reach
  if v_me is not null and not rowscope._field_updatable_somewhere(v_me, tg_argv[0], tg_argv[1]) then
    perform set_config(rowscope._field_named_setting(tg_argv[0], tg_argv[1]), 'on', true);
  end if;
  return null;
end
$$;

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
    -- field shares die with their record (the row guard has refused what
    -- may not be deleted); only when there are some, since each DELETE on
    -- security data bumps the security epoch (sql/890)
    if exists (select from rowscope.field_share where table_name = v_table and record_id = old.id) then
      delete from rowscope.field_share where table_name = v_table and record_id = old.id;
    end if;
    return null;
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
          return null; -- the deployment administrator
        end if;
      end if;
      if not rowscope._field_allows(v_me, v_table, v_column, case when tg_op = 'UPDATE' then old.id end, v_permission) then
        perform rowscope._refuse_field_write(v_me, v_table, v_column, case when tg_op = 'UPDATE' then old.id end, v_permission);
      end if;
    end if;
  end loop;
  return null; -- an AFTER trigger
end
$$;
