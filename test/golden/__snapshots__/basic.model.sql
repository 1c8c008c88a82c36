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

-- contact (user-owned)

select rowscope._ensure_table_roles('contact', 'user');

select rowscope._prepare_table('app', 'contact', 'user');

create policy "rowscope_read_org" on "app"."contact" for select to "rowscope_class_org"
  using (true);

create policy "rowscope_read_bu" on "app"."contact" for select to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('contact', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared" on "app"."contact" for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('contact', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('contact', 'read'))::uuid[]));

create policy "rowscope_read_user" on "app"."contact" for select to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]));

create policy "rowscope_read_user_shared" on "app"."contact" for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('contact', 'read'))::uuid[]));

create policy "rowscope_read_bu_shared_twin" on "app"."contact" as restrictive for select to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('contact', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('contact', 'read')))));

create policy "rowscope_read_user_shared_twin" on "app"."contact" as restrictive for select to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or id in (select unnest((select rowscope.scope_records('contact', 'read')))));

create policy "rowscope_guard_org" on "app"."contact" as restrictive for all to "rowscope_class_org"
  using ((select rowscope._class_guard('contact', 'org')::int) <> 0)
  with check (true);

create policy "rowscope_guard_bu" on "app"."contact" as restrictive for all to "rowscope_class_bu"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('contact', 'bu')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_bu_shared" on "app"."contact" as restrictive for all to "rowscope_class_bu_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('contact', 'bu_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user" on "app"."contact" as restrictive for all to "rowscope_class_user"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('contact', 'user')::int end) <> 0)
  with check (true);

create policy "rowscope_guard_user_shared" on "app"."contact" as restrictive for all to "rowscope_class_user_shared"
  using ((select case when current_setting('transaction_isolation') = 'read committed' then 1 else rowscope._class_guard('contact', 'user_shared')::int end) <> 0)
  with check (true);

create policy "rowscope_insert" on "app"."contact" for insert to "rowscope_user"
  with check (true);

create policy "rowscope_update_org" on "app"."contact" for update to "rowscope_class_org"
  using (true)
  with check (true);

create policy "rowscope_delete_org" on "app"."contact" for delete to "rowscope_class_org"
  using (true);

create policy "rowscope_update_bu" on "app"."contact" for update to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('contact', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu" on "app"."contact" for delete to "rowscope_class_bu"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('contact', 'read'))::uuid[]));

create policy "rowscope_update_bu_shared" on "app"."contact" for update to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('contact', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('contact', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_bu_shared" on "app"."contact" for delete to "rowscope_class_bu_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or owning_business_unit = any ((select rowscope.scope_bus('contact', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('contact', 'read'))::uuid[]));

create policy "rowscope_update_user" on "app"."contact" for update to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user" on "app"."contact" for delete to "rowscope_class_user"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]));

create policy "rowscope_update_user_shared" on "app"."contact" for update to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('contact', 'read'))::uuid[]))
  with check (true);

create policy "rowscope_delete_user_shared" on "app"."contact" for delete to "rowscope_class_user_shared"
  using (owner_id = any ((select rowscope.scope_owners('contact', 'read'))::uuid[]) or id = any ((select rowscope.scope_records('contact', 'read'))::uuid[]));

create policy "rowscope_definer" on "app"."contact" for all to "rowscope_definer"
  using (true) with check (true);

create policy "rowscope_admin" on "app"."contact" for all to "rowscope_admin"
  using (true) with check (true);

create trigger rowscope_guard before insert or update or delete on "app"."contact"
  for each row execute function "rowscope"."_tg_guard_user_owned"('contact');

create trigger rowscope_after_change after update on "app"."contact"
  for each row when (old.owner_id is distinct from new.owner_id or old."account_id" is distinct from new."account_id" or current_setting('rowscope.assign_pending', true) = 'on') execute function "rowscope"."_tg_after_change"('contact');

create trigger rowscope_after_insert after insert on "app"."contact"
  for each row when (new."account_id" is not null) execute function "rowscope"."_tg_after_change"('contact');

select rowscope._build_api_view('app', 'contact', 'api', array[]::text[]);

select rowscope._bind_table_roles('app', 'contact');

-- product (organization-owned)

select rowscope._ensure_table_roles('product', 'organization');

select rowscope._prepare_table('app', 'product', 'organization');

create policy "rowscope_read_org" on "app"."product" for select to "rowscope_class_org"
  using (true);

create policy "rowscope_guard_org" on "app"."product" as restrictive for all to "rowscope_class_org"
  using ((select rowscope._class_guard('product', 'org')::int) <> 0)
  with check (true);

create policy "rowscope_insert" on "app"."product" for insert to "rowscope_user"
  with check (true);

create policy "rowscope_update_org" on "app"."product" for update to "rowscope_class_org"
  using (true)
  with check (true);

create policy "rowscope_delete_org" on "app"."product" for delete to "rowscope_class_org"
  using (true);

create policy "rowscope_definer" on "app"."product" for all to "rowscope_definer"
  using (true) with check (true);

create policy "rowscope_admin" on "app"."product" for all to "rowscope_admin"
  using (true) with check (true);

create trigger rowscope_guard before insert or update or delete on "app"."product"
  for each row execute function "rowscope"."_tg_guard_organization_owned"('product');

select rowscope._build_api_view('app', 'product', 'api', array[]::text[]);

select rowscope._bind_table_roles('app', 'product');

select rowscope._sync_access_team_templates('[]'::jsonb);

-- catalog: settings, tables, roles and privileges; re-derives every user's access classes

select rowscope._sync_model('{
  "settings": {
    "dataSchema": "app",
    "apiSchema": "api",
    "ownershipAcrossBusinessUnits": false,
    "alwaysMoveRecordToOwnerBusinessUnit": true,
    "shareToPreviousOwnerOnAssign": false,
    "keepRolesOnBusinessUnitChange": false,
    "hierarchyModel": "none",
    "hierarchyDepth": 3,
    "managersMustBeInSameOrParentBusinessUnit": true,
    "auditLogins": false,
    "sessionDefaults": {
      "lockTimeout": "5s",
      "idleInTransactionSessionTimeout": "60s",
      "statementTimeout": "5min"
    }
  },
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
    },
    {
      "name": "contact",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "user",
      "hierarchySecurity": false,
      "securedColumns": [],
      "relationships": [
        {
          "column": "account_id",
          "references": "account",
          "cascade": {
            "assign": "all",
            "share": "all",
            "unshare": "all",
            "reparent": "all",
            "delete": "remove_link"
          }
        }
      ],
      "audit": false,
      "accessTeamTemplates": {}
    },
    {
      "name": "product",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "organization",
      "hierarchySecurity": false,
      "securedColumns": [],
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ],
  "roles": [
    {
      "name": "catalog_admin",
      "privileges": [
        {
          "table": "product",
          "privilege": "create",
          "depth": "organization"
        },
        {
          "table": "product",
          "privilege": "delete",
          "depth": "organization"
        },
        {
          "table": "product",
          "privilege": "read",
          "depth": "organization"
        },
        {
          "table": "product",
          "privilege": "write",
          "depth": "organization"
        }
      ],
      "misc": []
    },
    {
      "name": "reader_bu",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "business_unit"
        }
      ],
      "misc": []
    },
    {
      "name": "reader_deep",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "parent_child"
        }
      ],
      "misc": []
    },
    {
      "name": "reader_org",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "organization"
        },
        {
          "table": "contact",
          "privilege": "read",
          "depth": "organization"
        },
        {
          "table": "product",
          "privilege": "read",
          "depth": "organization"
        }
      ],
      "misc": []
    },
    {
      "name": "reader_user",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "user"
        }
      ],
      "misc": []
    },
    {
      "name": "sales_manager",
      "privileges": [
        {
          "table": "account",
          "privilege": "assign",
          "depth": "business_unit"
        },
        {
          "table": "account",
          "privilege": "create",
          "depth": "business_unit"
        },
        {
          "table": "account",
          "privilege": "delete",
          "depth": "business_unit"
        },
        {
          "table": "account",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "account",
          "privilege": "share",
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "write",
          "depth": "business_unit"
        },
        {
          "table": "contact",
          "privilege": "create",
          "depth": "user"
        },
        {
          "table": "contact",
          "privilege": "delete",
          "depth": "user"
        },
        {
          "table": "contact",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "contact",
          "privilege": "write",
          "depth": "user"
        },
        {
          "table": "product",
          "privilege": "read",
          "depth": "organization"
        }
      ],
      "misc": []
    },
    {
      "name": "salesperson",
      "privileges": [
        {
          "table": "account",
          "privilege": "assign",
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "create",
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "delete",
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "account",
          "privilege": "share",
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "write",
          "depth": "user"
        },
        {
          "table": "contact",
          "privilege": "create",
          "depth": "user"
        },
        {
          "table": "contact",
          "privilege": "delete",
          "depth": "user"
        },
        {
          "table": "contact",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "contact",
          "privilege": "write",
          "depth": "user"
        },
        {
          "table": "product",
          "privilege": "read",
          "depth": "organization"
        }
      ],
      "misc": []
    },
    {
      "name": "user_admin",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "security_role",
          "privilege": "read",
          "depth": "organization"
        },
        {
          "table": "system_user",
          "privilege": "create",
          "depth": "business_unit"
        },
        {
          "table": "system_user",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "system_user",
          "privilege": "write",
          "depth": "business_unit"
        },
        {
          "table": "team",
          "privilege": "create",
          "depth": "business_unit"
        },
        {
          "table": "team",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "team",
          "privilege": "write",
          "depth": "business_unit"
        }
      ],
      "misc": [
        "export_to_excel"
      ]
    }
  ],
  "fieldSecurityProfiles": []
}'::jsonb);

create trigger rowscope_audit after update of owner_id on "app"."account"
  for each row when (old.owner_id is distinct from new.owner_id) execute function "rowscope"."_tg_audit"('account', 'assign');

create trigger rowscope_audit after update of owner_id on "app"."contact"
  for each row when (old.owner_id is distinct from new.owner_id) execute function "rowscope"."_tg_audit"('contact', 'assign');

select rowscope._build_audit_view('api');

select rowscope._build_security_views('api');