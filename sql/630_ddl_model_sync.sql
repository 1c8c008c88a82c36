-- Stage 2 of compilation (docs/architecture.md): the model's catalog, written by
-- the generated migration (src/compile/catalog.ts, src/compile/access-teams.ts).
--
-- Writes the model's catalog part (settings, tables, relationships, roles and
-- their privileges) into the rowscope schema. Called by every generated
-- migration with the compiled catalog as jsonb; idempotent. Users' access
-- classes are re-derived once at the end rather than per changed row. The class
-- roles are this database's (sql/050 rowscope._class_roles_of), not the model's.

create function rowscope._sync_model(p_catalog jsonb) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  t jsonb;
  r jsonb;
  v_role uuid;
  f jsonb;
  v_profile uuid;
  v_partial boolean;
begin
  perform set_config('rowscope.defer_refresh', 'on', true);

  -- A partial catalog (a model change, src/compile/diff.ts) names only what
  -- changed: the keys it has, the tables, roles and profiles it lists, and what
  -- to delete in dropTables, dropRoles and dropFieldSecurityProfiles. A full
  -- one deletes whatever it does not list.
  v_partial := coalesce((p_catalog ->> 'partial')::boolean, false);
  if p_catalog ? 'settings' then
    delete from rowscope.setting;
    insert into rowscope.setting (key, value) select key, value from jsonb_each(p_catalog -> 'settings');
  end if;

  delete from rowscope.secured_table
   where case when v_partial then name in (select jsonb_array_elements_text(coalesce(p_catalog -> 'dropTables', '[]')))
              else name not in (select jsonb_array_elements(p_catalog -> 'tables') ->> 'name') end;
  for t in select * from jsonb_array_elements(coalesce(p_catalog -> 'tables', '[]')) loop
    insert into rowscope.secured_table as s (name, data_schema, api_schema, ownership, hierarchy_security, secured_columns, class_roles)
    values (t ->> 'name', t ->> 'dataSchema', t ->> 'apiSchema', t ->> 'ownership', (t ->> 'hierarchySecurity')::boolean,
            array(select jsonb_array_elements_text(t -> 'securedColumns')),
            rowscope._class_roles_of(t ->> 'name', t ->> 'ownership'))
    on conflict (name) do update set data_schema = excluded.data_schema, api_schema = excluded.api_schema,
      ownership = excluded.ownership, hierarchy_security = excluded.hierarchy_security,
      secured_columns = excluded.secured_columns, class_roles = excluded.class_roles;
    -- a table's own hierarchy depth (absent: the model's); kept apart from the upsert above
    update rowscope.secured_table s set hierarchy_depth = (t ->> 'hierarchyDepth')::int
     where s.name = t ->> 'name' and s.hierarchy_depth is distinct from (t ->> 'hierarchyDepth')::int;
    delete from rowscope.relationship where table_name = t ->> 'name';
    insert into rowscope.relationship (table_name, column_name, references_table, cascade_assign, cascade_share,
                                       cascade_unshare, cascade_reparent, cascade_delete)
    select t ->> 'name', rel ->> 'column', rel ->> 'references', rel #>> '{cascade,assign}', rel #>> '{cascade,share}',
           rel #>> '{cascade,unshare}', rel #>> '{cascade,reparent}', rel #>> '{cascade,delete}'
    from jsonb_array_elements(t -> 'relationships') rel;
  end loop;

  insert into rowscope.security_role (name, is_builtin) values ('system_administrator', true)
    on conflict (name) do update set is_builtin = true;
  delete from rowscope.security_role
   where not is_builtin
     and case when v_partial then name in (select jsonb_array_elements_text(coalesce(p_catalog -> 'dropRoles', '[]')))
              else name not in (select jsonb_array_elements(p_catalog -> 'roles') ->> 'name') end;
  for r in select * from jsonb_array_elements(coalesce(p_catalog -> 'roles', '[]')) loop
    insert into rowscope.security_role (name) values (r ->> 'name')
      on conflict (name) do update set name = excluded.name
      returning id into v_role;
    delete from rowscope.role_privilege where role_id = v_role;
    insert into rowscope.role_privilege (role_id, table_name, privilege, depth)
    select v_role, p ->> 'table', p ->> 'privilege', rowscope._depth_rank(p ->> 'depth')
    from jsonb_array_elements(r -> 'privileges') p;
    delete from rowscope.role_misc_privilege where role_id = v_role;
    insert into rowscope.role_misc_privilege (role_id, name)
    select v_role, m from jsonb_array_elements_text(r -> 'misc') m;
  end loop;

  -- Field security profiles (sql/300_field_catalog.sql): kept by name, so their
  -- members survive a model change; column permissions are the model's. A
  -- catalog without the key (the teardown of a model migration) leaves them be.
  if p_catalog ? 'fieldSecurityProfiles' or v_partial then
    delete from rowscope.field_security_profile
     where case when v_partial then name in (select jsonb_array_elements_text(coalesce(p_catalog -> 'dropFieldSecurityProfiles', '[]')))
                else name not in (select jsonb_array_elements(p_catalog -> 'fieldSecurityProfiles') ->> 'name') end;
    for f in select * from jsonb_array_elements(coalesce(p_catalog -> 'fieldSecurityProfiles', '[]')) loop
      insert into rowscope.field_security_profile (name) values (f ->> 'name')
        on conflict (name) do update set name = excluded.name
        returning id into v_profile;
      delete from rowscope.field_profile_column where profile_id = v_profile;
      insert into rowscope.field_profile_column (profile_id, table_name, column_name, can_read, can_create, can_update)
      select v_profile, c ->> 'table', c ->> 'column',
             c -> 'permissions' ? 'read', c -> 'permissions' ? 'create', c -> 'permissions' ? 'update'
      from jsonb_array_elements(f -> 'columns') c;
    end loop;
    -- field shares of columns that are no longer secured mean nothing any more
    delete from rowscope.field_share s
     where not exists (select from rowscope.secured_table t
                       where t.name = s.table_name and s.column_name = any (t.secured_columns));
  end if;

  perform set_config('rowscope.defer_refresh', 'off', true);
  perform rowscope._refresh_all_users();
  perform rowscope._apply_session_defaults(); -- every user's login (sql/076_session_defaults.sql)
end
$$;

-- Access team templates (sql/130_access_teams.sql) are catalog data too.
create function rowscope._sync_access_team_templates(p_templates jsonb) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
begin
  delete from rowscope.access_team_template;
  insert into rowscope.access_team_template (table_name, name, rights)
  select t ->> 'table', t ->> 'name', array(select jsonb_array_elements_text(t -> 'rights'))
  from jsonb_array_elements(p_templates) t;
end
$$;
