-- Stage 2 of compilation (docs/architecture.md): audit's DDL. The model tables'
-- audit triggers themselves are generated (src/compile/audit.ts) and run
-- rowscope._tg_audit (sql/210_audit_triggers.sql); these check their columns and
-- release them, (re)build <api schema>.audit_log over the log (its helpers in
-- sql/240_audit_view.sql), and switch the login event trigger
-- (sql/250_audit_logins.sql). Executed by the migrating role only.

-- Called by the migration before the trigger is made: a listed column that does
-- not exist would silently never be logged.
create function rowscope._check_audit_columns(p_schema text, p_table text, p_columns text[]) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_missing text;
begin
  select string_agg(c, ', ' order by c) into v_missing
  from unnest(p_columns) c
  where not exists (select from pg_attribute a
                    where a.attrelid = to_regclass(format('%I.%I', p_schema, p_table))
                      and a.attname = c and a.attnum > 0 and not a.attisdropped);
  if v_missing is not null then
    raise exception 'rowscope: tables.%.audit.columns: %.% has no column %', p_table, p_schema, p_table, v_missing
      using errcode = '42703', hint = 'list existing columns only, or write `audit: true` to audit every column';
  end if;
end
$$;

create function rowscope._release_audit(p_schema text, p_table text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  v_rel regclass := to_regclass(format('%I.%I', p_schema, p_table));
begin
  if v_rel is not null then
    execute format('drop trigger if exists rowscope_audit on %s', v_rel);
  end if;
end
$$;

-- (Re)creates <api schema>.audit_log; called by the generated migration. The
-- view runs with its owner's (the definer's) right to read the log, and its
-- security barrier keeps the user's own conditions from seeing rows it filters.
-- The deployment administrator sees every row: asked once per statement (an
-- InitPlan), not per row through _audit_visible (~85 us a row: the console's
-- first page of a 93,000-row log took 8.5 s, docs/performance.md "The audit
-- log's first page"); so are the tables whose rows the user sees all of
-- (sql/240 _audit_open_tables).
create function rowscope._build_audit_view(p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if exists (select from rowscope.secured_table where name = 'audit_log' and api_schema = p_api_schema) then
    raise exception 'rowscope: %.audit_log is the audit history view; a model table cannot be named audit_log', p_api_schema
      using errcode = '42P07';
  end if;
  execute format('create schema if not exists %I', p_api_schema);
  execute format('drop view if exists %I.audit_log', p_api_schema);
  execute format($v$
    create view %I.audit_log with (security_barrier = true) as
    select a.id, a.at, a.user_id, a.db_role, a.txid, a.table_name, a.record_id, a.action,
           rowscope._audit_masked_changes(a.table_name, a.record_id, a.action, a.changes) as changes
    from rowscope.audit_log a
    where (select rowscope._audit_reader())
      and not exists (select from rowscope.audit_log later
                      where later.table_name = a.table_name and later.record_id = a.record_id
                        and later.id > a.id and later.action = 'insert')
      and ((select rowscope._is_deployment_admin())
           or a.table_name = any ((select rowscope._audit_open_tables())::text[])
           or rowscope._audit_visible(a.table_name, a.record_id, a.action))$v$,
    p_api_schema);
  -- A non-superuser migrating role (managed PostgreSQL, docs/operations.md) may
  -- hand the view to the definer only if the definer may create in the schema,
  -- as it may anyway for the security views (sql/650_ddl_security_views.sql).
  execute format('grant usage, create on schema %I to rowscope_definer', p_api_schema);
  execute format('alter view %I.audit_log owner to rowscope_definer', p_api_schema);
  execute format('revoke all on %I.audit_log from public', p_api_schema);
  execute format('grant select on %I.audit_log to rowscope_user', p_api_schema);
end
$$;

create function rowscope._release_audit_view(p_api_schema text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  execute format('drop view if exists %I.audit_log', p_api_schema);
end
$$;

-- Run by the migration (as the migrating role) when the model sets auditLogins.
-- Event triggers need PostgreSQL 17+ for logins and, in core PostgreSQL, a
-- superuser to create them; otherwise the migration says so and goes on. It
-- tries rather than checking rolsuper: a managed service's administrator that
-- is no superuser may be allowed to (rds_superuser, cloudsqlsuperuser,
-- Supabase's supautils; docs/operations.md "Managed PostgreSQL").
create function rowscope._enable_login_audit() returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if current_setting('server_version_num')::int < 170000 then
    raise notice 'rowscope: auditLogins is unavailable on PostgreSQL % (login event triggers need 17 or later); logins are not audited',
      current_setting('server_version');
  elsif exists (select from pg_event_trigger where evtname = 'rowscope_audit_login') then
    return;
  else
    begin
      execute 'create event trigger rowscope_audit_login on login execute function rowscope._et_audit_login()';
    exception when insufficient_privilege then
      -- one line, and the migration goes on
      raise notice 'rowscope: auditLogins is unavailable: it needs a superuser to create the login event trigger; % is none, so logins are not audited',
        current_user;
    end;
  end if;
end
$$;

-- Run by the teardown of a model. Only a superuser may drop the event trigger;
-- left in place it does nothing while the setting is off.
create function rowscope._disable_login_audit() returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  if not exists (select from pg_event_trigger where evtname = 'rowscope_audit_login') then
    return;
  elsif coalesce((select rolsuper from pg_roles where rolname = current_user), false) then
    execute 'drop event trigger rowscope_audit_login';
  else
    raise notice 'rowscope: the login event trigger stays (only a superuser can drop it); it logs nothing while auditLogins is off';
  end if;
end
$$;
