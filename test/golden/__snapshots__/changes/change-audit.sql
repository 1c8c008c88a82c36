-- Up (740 bytes)
select rowscope._release_audit('app', 'product');

-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "tables": [
    {
      "name": "product",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "organization",
      "hierarchySecurity": false,
      "securedColumns": [],
      "classRoles": {
        "org": "rowscope_product_read_org",
        "none": "rowscope_product_read_none"
      },
      "relationships": [],
      "audit": "all",
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);

create trigger rowscope_audit after insert or update or delete on "app"."product"
  for each row execute function "rowscope"."_tg_audit"('product', 'all');

-- Down (583 bytes)
select rowscope._release_audit('app', 'product');

-- catalog changes only; re-derives every user's access classes

select rowscope._sync_model('{
  "partial": true,
  "tables": [
    {
      "name": "product",
      "dataSchema": "app",
      "apiSchema": "api",
      "ownership": "organization",
      "hierarchySecurity": false,
      "securedColumns": [],
      "classRoles": {
        "org": "rowscope_product_read_org",
        "none": "rowscope_product_read_none"
      },
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);
