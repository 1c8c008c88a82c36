-- Up (7239 bytes)
select rowscope._release_security_views('api');

select rowscope._release_audit_view('api');

-- note (user-owned)

select rowscope._ensure_table_roles('note', 'user');

select rowscope._prepare_table('app', 'note', 'user');

create policy "rowscope_read_org" on "app"."note" for select to "rowscope_class_org"
  using (true);

create policy "rowscope_read_bu" on "app"."note" for select to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('note', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared" on "app"."note" for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('note', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('note', 'read'))::uuid[]));

create policy "rowscope_read_user" on "app"."note" for select to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]));

create policy "rowscope_read_user_shared" on "app"."note" for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('note', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared_twin" on "app"."note" as restrictive for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('note', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('note', 'read')))));

create policy "rowscope_read_user_shared_twin" on "app"."note" as restrictive for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('note', 'read')))));

create policy "rowscope_guard_org" on "app"."note" as restrictive for all to "rowscope_class_org"
  using ((select rowscope._class_guard('note', 'org')::int) <> 0)
  with check (true);

create policy "rowscope_guard_bu" on "app"."note" as restrictive for all to "rowscope_class_bu"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('note', 'bu')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_bu_shared" on "app"."note" as restrictive for all to "rowscope_class_bu_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('note', 'bu_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user" on "app"."note" as restrictive for all to "rowscope_class_user"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('note', 'user')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user_shared" on "app"."note" as restrictive for all to "rowscope_class_user_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('note', 'user_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_insert" on "app"."note" for insert to "rowscope_user"
  with check (true);

create policy "rowscope_update_org" on "app"."note" for update to "rowscope_class_org"
  using (true)
  with check (true);

create policy "rowscope_delete_org" on "app"."note" for delete to "rowscope_class_org"
  using (true);

create policy "rowscope_update_bu" on "app"."note" for update to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('note', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu" on "app"."note" for delete to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('note', 'read'))::uuid[]));

create policy "rowscope_update_bu_shared" on "app"."note" for update to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('note', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('note', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu_shared" on "app"."note" for delete to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('note', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('note', 'read'))::uuid[]));

create policy "rowscope_update_user" on "app"."note" for update to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user" on "app"."note" for delete to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]));

create policy "rowscope_update_user_shared" on "app"."note" for update to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('note', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user_shared" on "app"."note" for delete to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('note', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('note', 'read'))::uuid[]));

create policy "rowscope_definer" on "app"."note" for all to "rowscope_definer"
  using (true) with check (true);

create policy "rowscope_admin" on "app"."note" for all to "rowscope_admin"
  using (true) with check (true);

create trigger rowscope_guard before insert or update or delete on "app"."note"
  for each row execute function "rowscope"."_tg_guard_user_owned"('note');

create trigger rowscope_after_change after update on "app"."note"
  for each row when (old.owner_id is distinct from new.owner_id or current_setting('rowscope.assign_pending', true) = 'on') execute function "rowscope"."_tg_after_change"('note');

select rowscope._build_api_view('app', 'note', 'api', array[]::text[]);

select rowscope._bind_table_roles('app', 'note');

select rowscope._sync_access_team_templates('[]'::jsonb);

-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "tables": [
    {
      "name": "note",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "user",
      "hierarchySecurity": false,
      "securedColumns": [],
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);

create trigger rowscope_audit after update of owner_id on "app"."note"
  for each row when (old.owner_id is distinct from new.owner_id) execute function "rowscope"."_tg_audit"('note', 'assign');

select rowscope._build_audit_view('api');

select rowscope._build_security_views('api');

-- Down (685 bytes)
select rowscope._release_security_views('api');

select rowscope._release_audit_view('api');

select rowscope._release_audit('app', 'note');

drop trigger if exists rowscope_after_insert on "app"."note";

drop trigger if exists rowscope_after_change on "app"."note";

select rowscope._release_table_roles('app', 'note');

select rowscope._release_table('app', 'note', 'api');

select rowscope._sync_access_team_templates('[]'::jsonb);

-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "dropTables": [
    "note"
  ]
}'::jsonb);

select rowscope._build_audit_view('api');

select rowscope._build_security_views('api');
