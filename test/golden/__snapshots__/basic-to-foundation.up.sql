-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "roles": [
    {
      "name": "assign_only",
      "privileges": [
        {
          "table": "account",
          "privilege": "assign",
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "read",
          "depth": "organization"
        }
      ],
      "misc": []
    },
    {
      "name": "bu_rw",
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
          "privilege": "write",
          "depth": "business_unit"
        }
      ],
      "misc": []
    },
    {
      "name": "exporter",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "user"
        }
      ],
      "misc": [
        "export_to_excel"
      ]
    },
    {
      "name": "owner_rw",
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
          "depth": "organization"
        },
        {
          "table": "account",
          "privilege": "write",
          "depth": "user"
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
          "table": "product",
          "privilege": "read",
          "depth": "organization"
        }
      ],
      "misc": []
    },
    {
      "name": "sharer",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "user"
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
        }
      ],
      "misc": []
    },
    {
      "name": "team_bu_read",
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
      "name": "team_user_rw",
      "privileges": [
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
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "write",
          "depth": "user"
        }
      ],
      "misc": []
    },
    {
      "name": "user_admin_bu",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "business_unit",
          "privilege": "create",
          "depth": "business_unit"
        },
        {
          "table": "business_unit",
          "privilege": "read",
          "depth": "organization"
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
      "misc": []
    },
    {
      "name": "user_admin_deep",
      "privileges": [
        {
          "table": "security_role",
          "privilege": "read",
          "depth": "organization"
        },
        {
          "table": "system_user",
          "privilege": "create",
          "depth": "parent_child"
        },
        {
          "table": "system_user",
          "privilege": "read",
          "depth": "parent_child"
        },
        {
          "table": "system_user",
          "privilege": "write",
          "depth": "parent_child"
        }
      ],
      "misc": []
    },
    {
      "name": "writer_no_assign",
      "privileges": [
        {
          "table": "account",
          "privilege": "create",
          "depth": "user"
        },
        {
          "table": "account",
          "privilege": "read",
          "depth": "organization"
        },
        {
          "table": "account",
          "privilege": "write",
          "depth": "user"
        }
      ],
      "misc": []
    }
  ],
  "dropRoles": [
    "reader_deep",
    "sales_manager",
    "salesperson",
    "user_admin"
  ]
}'::jsonb);