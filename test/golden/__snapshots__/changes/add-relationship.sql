-- Up (1308 bytes)
drop trigger if exists rowscope_after_insert on "app"."contact";

drop trigger if exists rowscope_after_change on "app"."contact";

create trigger rowscope_after_change after update on "app"."contact"
  for each row when (old.owner_id is distinct from new.owner_id or old."account_id" is distinct from new."account_id" or current_setting('rowscope.assign_pending', true) = 'on') execute function "rowscope"."_tg_after_change"('contact');

create trigger rowscope_after_insert after insert on "app"."contact"
  for each row when (new."account_id" is not null) execute function "rowscope"."_tg_after_change"('contact');

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

-- Down (789 bytes)
drop trigger if exists rowscope_after_insert on "app"."contact";

drop trigger if exists rowscope_after_change on "app"."contact";

create trigger rowscope_after_change after update on "app"."contact"
  for each row when (old.owner_id is distinct from new.owner_id or current_setting('rowscope.assign_pending', true) = 'on') execute function "rowscope"."_tg_after_change"('contact');

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
