-- Up (7581 bytes)
select rowscope._release_audit('app', 'account');

drop trigger if exists rowscope_after_insert on "app"."account";

drop trigger if exists rowscope_after_change on "app"."account";

select rowscope._release_table_roles('app', 'account');

select rowscope._release_table('app', 'account', 'api');

-- account (user-owned)

select rowscope._ensure_table_roles('account', 'user');

select rowscope._prepare_table('app', 'account', 'user');

create policy "rowscope_read_org" on "app"."account" for select to "rowscope_class_org"
  using (true);

create policy "rowscope_read_bu" on "app"."account" for select to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared" on "app"."account" for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_read_user" on "app"."account" for select to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]));

create policy "rowscope_read_user_shared" on "app"."account" for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared_twin" on "app"."account" as restrictive for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('account', 'read')))));

create policy "rowscope_read_user_shared_twin" on "app"."account" as restrictive for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('account', 'read')))));

create policy "rowscope_guard_org" on "app"."account" as restrictive for all to "rowscope_class_org"
  using ((select rowscope._class_guard('account', 'org')::int) <> 0)
  with check (true);

create policy "rowscope_guard_bu" on "app"."account" as restrictive for all to "rowscope_class_bu"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'bu')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_bu_shared" on "app"."account" as restrictive for all to "rowscope_class_bu_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'bu_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user" on "app"."account" as restrictive for all to "rowscope_class_user"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'user')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user_shared" on "app"."account" as restrictive for all to "rowscope_class_user_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'user_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_insert" on "app"."account" for insert to "rowscope_user"
  with check (true);

create policy "rowscope_update_org" on "app"."account" for update to "rowscope_class_org"
  using (true)
  with check (true);

create policy "rowscope_delete_org" on "app"."account" for delete to "rowscope_class_org"
  using (true);

create policy "rowscope_update_bu" on "app"."account" for update to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu" on "app"."account" for delete to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]));

create policy "rowscope_update_bu_shared" on "app"."account" for update to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu_shared" on "app"."account" for delete to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_update_user" on "app"."account" for update to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user" on "app"."account" for delete to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]));

create policy "rowscope_update_user_shared" on "app"."account" for update to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user_shared" on "app"."account" for delete to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_definer" on "app"."account" for all to "rowscope_definer"
  using (true) with check (true);

create policy "rowscope_admin" on "app"."account" for all to "rowscope_admin"
  using (true) with check (true);

create trigger rowscope_guard before insert or update or delete on "app"."account"
  for each row execute function "rowscope"."_tg_guard_user_owned"('account');

create trigger rowscope_after_change after update on "app"."account"
  for each row when (old.owner_id is distinct from new.owner_id or current_setting('rowscope.assign_pending', true) = 'on') execute function "rowscope"."_tg_after_change"('account');

select rowscope._build_api_view('app', 'account', 'api', array['credit_limit', 'revenue']::text[]);

select rowscope._bind_table_roles('app', 'account');

-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "tables": [
    {
      "name": "account",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "user",
      "hierarchySecurity": false,
      "securedColumns": [
        "credit_limit",
        "revenue"
      ],
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);

create trigger rowscope_audit after update of owner_id on "app"."account"
  for each row when (old.owner_id is distinct from new.owner_id) execute function "rowscope"."_tg_audit"('account', 'assign');

-- Down (7551 bytes)
select rowscope._release_audit('app', 'account');

drop trigger if exists rowscope_after_insert on "app"."account";

drop trigger if exists rowscope_after_change on "app"."account";

select rowscope._release_table_roles('app', 'account');

select rowscope._release_table('app', 'account', 'api');

-- account (user-owned)

select rowscope._ensure_table_roles('account', 'user');

select rowscope._prepare_table('app', 'account', 'user');

create policy "rowscope_read_org" on "app"."account" for select to "rowscope_class_org"
  using (true);

create policy "rowscope_read_bu" on "app"."account" for select to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared" on "app"."account" for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_read_user" on "app"."account" for select to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]));

create policy "rowscope_read_user_shared" on "app"."account" for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared_twin" on "app"."account" as restrictive for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('account', 'read')))));

create policy "rowscope_read_user_shared_twin" on "app"."account" as restrictive for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('account', 'read')))));

create policy "rowscope_guard_org" on "app"."account" as restrictive for all to "rowscope_class_org"
  using ((select rowscope._class_guard('account', 'org')::int) <> 0)
  with check (true);

create policy "rowscope_guard_bu" on "app"."account" as restrictive for all to "rowscope_class_bu"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'bu')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_bu_shared" on "app"."account" as restrictive for all to "rowscope_class_bu_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'bu_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user" on "app"."account" as restrictive for all to "rowscope_class_user"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'user')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user_shared" on "app"."account" as restrictive for all to "rowscope_class_user_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('account', 'user_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_insert" on "app"."account" for insert to "rowscope_user"
  with check (true);

create policy "rowscope_update_org" on "app"."account" for update to "rowscope_class_org"
  using (true)
  with check (true);

create policy "rowscope_delete_org" on "app"."account" for delete to "rowscope_class_org"
  using (true);

create policy "rowscope_update_bu" on "app"."account" for update to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu" on "app"."account" for delete to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]));

create policy "rowscope_update_bu_shared" on "app"."account" for update to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu_shared" on "app"."account" for delete to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_update_user" on "app"."account" for update to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user" on "app"."account" for delete to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]));

create policy "rowscope_update_user_shared" on "app"."account" for update to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user_shared" on "app"."account" for delete to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('account', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('account', 'read'))::uuid[]));

create policy "rowscope_definer" on "app"."account" for all to "rowscope_definer"
  using (true) with check (true);

create policy "rowscope_admin" on "app"."account" for all to "rowscope_admin"
  using (true) with check (true);

create trigger rowscope_guard before insert or update or delete on "app"."account"
  for each row execute function "rowscope"."_tg_guard_user_owned"('account');

create trigger rowscope_after_change after update on "app"."account"
  for each row when (old.owner_id is distinct from new.owner_id or current_setting('rowscope.assign_pending', true) = 'on') execute function "rowscope"."_tg_after_change"('account');

select rowscope._build_api_view('app', 'account', 'api', array['credit_limit']::text[]);

select rowscope._bind_table_roles('app', 'account');

-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "tables": [
    {
      "name": "account",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "user",
      "hierarchySecurity": false,
      "securedColumns": [
        "credit_limit"
      ],
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);

create trigger rowscope_audit after update of owner_id on "app"."account"
  for each row when (old.owner_id is distinct from new.owner_id) execute function "rowscope"."_tg_audit"('account', 'assign');
