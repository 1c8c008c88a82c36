-- Login audit (docs/security-model.md, model option auditLogins): on PostgreSQL 17+ a login
-- event trigger logs every login of a rowscope user (table_name system_user,
-- action login). The event trigger is created by the migration when the model
-- asks for it (rowscope._enable_login_audit, sql/640_ddl_audit.sql) and checks the setting again at each
-- login, so a model that turns the option off stops the logging at once.

-- A login event trigger that raises locks everyone out of the database, so the
-- body never raises: a failure (a read-only standby) costs the log row and
-- leaves a warning in the server log. Contention cannot: the row is written
-- unchained, without waiting for anyone, and the commit step that chains it is
-- told not to wait for the chain lock (rowscope._tg_audit_chain in
-- 200_audit_log.sql); if the lock is busy the next step or seal chains it.
create function rowscope._et_audit_login() returns event_trigger
language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
declare
  v_user uuid;
begin
  begin
    if rowscope._setting_bool('auditLogins', false) then
      select id into v_user from rowscope.system_user where db_role = session_user;
      if v_user is not null then
        perform set_config('rowscope.audit_nowait', 'on', true);
        perform rowscope._audit_append('system_user', v_user, 'login', jsonb_build_object(
          'client_addr', jsonb_build_object('old', null, 'new', host(inet_client_addr())),
          'application_name', jsonb_build_object('old', null, 'new', current_setting('application_name', true))));
      end if;
    end if;
  exception when others then
    raise warning 'rowscope: the login of % was not audited: % (%)', session_user, sqlerrm, sqlstate;
  end;
end
$$;
