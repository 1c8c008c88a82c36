-- Session defaults of every rowscope user's login (model option
-- sessionDefaults, src/model/schema.ts): lock_timeout,
-- idle_in_transaction_session_timeout and statement_timeout, set with
-- ALTER ROLE … IN DATABASE … SET, so a user's own session (psql with their
-- login) cannot wait on a lock, sit in an open transaction or run one
-- statement forever, and a lock it takes (LOCK TABLE, SELECT … FOR UPDATE)
-- is released when its transaction idles out. They apply at login, in this
-- database only; SET ROLE does not apply them (the GraphQL server's requests
-- are short transactions of its own). `rowscope doctor` warns about a login
-- that lacks them (src/cli/doctor/lints/session-defaults.ts).

-- The settings the model asks for, as (PostgreSQL setting, value). The names
-- come from this fixed list only; the values were checked by the model
-- schema and PostgreSQL checks them again in ALTER ROLE.
create function rowscope._session_default_settings() returns table (setting text, value text)
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select d.setting, coalesce(rowscope._setting_value('sessionDefaults') ->> d.key, d.fallback)
  from (values ('lockTimeout', 'lock_timeout', '5s'),
               ('idleInTransactionSessionTimeout', 'idle_in_transaction_session_timeout', '60s'),
               ('statementTimeout', 'statement_timeout', '5min')) d(key, setting, fallback)
  order by d.setting
$$;

-- Applies the session defaults to one user's login (p_role), or to every
-- rowscope user's (null): run at the end of the model sync (sql/630_ddl_model_sync.sql) and by
-- create_user (sql/071). Writes only what differs. A login the definer may
-- not alter (an existing role a superuser mapped, on PostgreSQL 16+) keeps
-- its settings, as in rowscope._set_class_settings (sql/050); doctor reports it.
create function rowscope._apply_session_defaults(p_role name default null) returns void
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  u record;
  d record;
  v_have text[];
begin
  for u in
    select s.db_role from rowscope.system_user s
    where (p_role is null or s.db_role = p_role) and exists (select from pg_roles r where r.rolname = s.db_role)
    order by s.db_role
  loop
    select c.setconfig into v_have
    from pg_db_role_setting c join pg_roles r on r.oid = c.setrole
    join pg_database b on b.oid = c.setdatabase and b.datname = current_database()
    where r.rolname = u.db_role;
    for d in select * from rowscope._session_default_settings() loop
      if not (d.setting || '=' || d.value = any (coalesce(v_have, '{}'))) then
        begin
          execute format('alter role %I in database %I set %s = %L', u.db_role, current_database(), d.setting, d.value);
        exception when insufficient_privilege then
          null;
        end;
      end if;
    end loop;
  end loop;
end
$$;
