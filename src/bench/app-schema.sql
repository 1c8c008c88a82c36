-- The benchmark's application tables, as an application's own migration would
-- create them; rowscope adds the system columns and their indexes. The name
-- index serves the `name ^@ prefix` / `LIKE 'prefix%'` searches (the benchmark
-- database uses the C collation, so a plain btree handles prefixes).
create schema if not exists app;
create table app.account (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  revenue numeric
);
create index account_name on app.account (name);
create table app.contact (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  email text,
  account_id uuid references app.account (id)
);
create index contact_name on app.contact (name);
create index contact_account on app.contact (account_id);
