-- Up (379 bytes)
-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "roles": [
    {
      "name": "auditor",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "organization"
        }
      ],
      "misc": [
        "view_audit_history"
      ]
    }
  ]
}'::jsonb);

-- Down (161 bytes)
-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "dropRoles": [
    "auditor"
  ]
}'::jsonb);
