-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "roles": [
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
  "dropRoles": [
    "assign_only",
    "bu_rw",
    "exporter",
    "owner_rw",
    "sharer",
    "team_bu_read",
    "team_user_rw",
    "user_admin_bu",
    "user_admin_deep",
    "writer_no_assign"
  ]
}'::jsonb);