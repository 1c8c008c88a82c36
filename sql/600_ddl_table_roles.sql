-- Stage 2 of compilation (docs/architecture.md): a model table's roles. Called
-- by the generated migration (src/compile/tables.ts) before the table's
-- policies (_ensure_table_roles) and after them and its api view
-- (_bind_table_roles); undone by _release_table_roles. Executed by the
-- migrating role only. The role names are this database's
-- (sql/050_access_classes.sql _table_role).

create function rowscope._ensure_role(p_role text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if not exists (select from pg_roles where rolname = p_role) then
    begin
      execute format('create role %I nologin nobypassrls', p_role);
    exception when duplicate_object or unique_violation then
      null; -- roles are cluster-wide: another database created it at the same moment
    end;
  end if;
  -- the definer moves users between classes; it must not inherit their policies
  if current_setting('server_version_num')::int >= 160000 then
    execute format('grant %I to rowscope_definer with admin option, inherit false, set false', p_role);
  else
    execute format('grant %I to rowscope_definer with admin option', p_role);
  end if;
end
$$;

-- The model table's roles: its classes and its write roles (_ensure_role above).
-- Run by the migration before the table's policies.
create function rowscope._ensure_table_roles(p_table text, p_ownership text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  k text;
begin
  foreach k in array rowscope._classes_of(p_ownership) || array['update', 'delete'] loop
    perform rowscope._ensure_role(rowscope._table_role(p_table, k));
  end loop;
end
$$;

-- After the table's policies and api view: binds each policy created TO a
-- placeholder rowscope_class_<class> (sql/001) to this database's class role,
-- and moves the table-level UPDATE (the columns _build_api_view granted) and
-- DELETE from rowscope_user to the table's write roles, which only users who
-- may update or delete there are members of: with table-level DELETE anyone
-- could LOCK the table in ACCESS EXCLUSIVE mode, with UPDATE on any column
-- SELECT ... FOR UPDATE (test/integration/adversarial/table-privileges.test.ts).
create function rowscope._bind_table_roles(p_schema text, p_table text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := to_regclass(format('%I.%I', p_schema, p_table));
  p record;
  v_cols text;
begin
  for p in
    select pol.polname, r.rolname
    from pg_policy pol cross join unnest(pol.polroles) ro(oid) join pg_roles r on r.oid = ro.oid
    where pol.polrelid = v_rel and r.rolname like 'rowscope\_class\_%'
  loop
    execute format('alter policy %I on %s to %I', p.polname, v_rel, rowscope._table_role(p_table, substr(p.rolname, 16)));
  end loop;
  select string_agg(quote_ident(a.attname), ', ' order by a.attnum) into v_cols
  from pg_attribute a cross join aclexplode(a.attacl) x
  where a.attrelid = v_rel and a.attnum > 0 and not a.attisdropped
    and x.grantee = 'rowscope_user'::regrole and x.privilege_type = 'UPDATE';
  execute format('revoke update, delete on %s from rowscope_user', v_rel);
  if v_cols is not null then
    execute format('revoke update (%s) on %s from rowscope_user', v_cols, v_rel);
    execute format('grant update (%s) on %s to %I', v_cols, v_rel, rowscope._table_role(p_table, 'update'));
  end if;
  execute format('grant delete on %s to %I', v_rel, rowscope._table_role(p_table, 'delete'));
end
$$;

-- Undoes the write roles' grants when a migration releases the table
-- (sql/610_ddl_table.sql _release_table revokes only rowscope's cluster-wide roles).
create function rowscope._release_table_roles(p_schema text, p_table text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := to_regclass(format('%I.%I', p_schema, p_table));
  k text;
begin
  if v_rel is null then
    return;
  end if;
  foreach k in array array['update', 'delete'] loop
    if to_regrole(quote_ident(rowscope._table_role(p_table, k))) is not null then
      execute format('revoke all on %s from %I', v_rel, rowscope._table_role(p_table, k));
    end if;
  end loop;
end
$$;
