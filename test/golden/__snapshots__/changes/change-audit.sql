-- Up (620 bytes)
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
      "relationships": [],
      "audit": "all",
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);

create trigger rowscope_audit after insert or update or delete on "app"."product"
  for each row execute function "rowscope"."_tg_audit"('product', 'all');

-- Down (463 bytes)
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
      "relationships": [],
      "audit": false,
      "accessTeamTemplates": {}
    }
  ]
}'::jsonb);
