-- Up (463 bytes)
-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "roles": [
    {
      "name": "reader_bu",
      "privileges": [
        {
          "table": "account",
          "privilege": "read",
          "depth": "business_unit"
        },
        {
          "table": "contact",
          "privilege": "read",
          "depth": "business_unit"
        }
      ],
      "misc": []
    }
  ]
}'::jsonb);

-- Down (346 bytes)
-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "roles": [
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
    }
  ]
}'::jsonb);
