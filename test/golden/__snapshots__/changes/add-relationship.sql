-- Up (689 bytes)
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

-- Down (404 bytes)
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
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);
