-- Up (230 bytes)
comment on view "api"."account" is 'Companies we sell to.';

comment on column "api"."account"."name" is 'The company''s legal name.';

comment on column "api"."account"."revenue" is null;

comment on view "api"."contact" is null;

-- Down (219 bytes)
comment on view "api"."account" is null;

comment on column "api"."account"."name" is null;

comment on column "api"."account"."revenue" is 'Yearly, in USD.';

comment on view "api"."contact" is 'People at an account.';
