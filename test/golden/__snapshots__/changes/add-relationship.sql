-- Up (1013 bytes)
-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "tables": [
    {
      "name": "contact",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "user",
      "hierarchySecurity": false,
      "securedColumns": [],
      "classRoles": {
        "org": "rowscope_contact_read_org",
        "bu": "rowscope_contact_read_bu",
        "bu_shared": "rowscope_contact_read_bu_shared",
        "user": "rowscope_contact_read_user",
        "user_shared": "rowscope_contact_read_user_shared",
        "none": "rowscope_contact_read_none"
      },
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
    }
  ]
}'::jsonb);

-- Down (728 bytes)
-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "tables": [
    {
      "name": "contact",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "user",
      "hierarchySecurity": false,
      "securedColumns": [],
      "classRoles": {
        "org": "rowscope_contact_read_org",
        "bu": "rowscope_contact_read_bu",
        "bu_shared": "rowscope_contact_read_bu_shared",
        "user": "rowscope_contact_read_user",
        "user_shared": "rowscope_contact_read_user_shared",
        "none": "rowscope_contact_read_none"
      },
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);
