-- The Contoso demo application's own tables: what its migrations create before
-- rowscope secures them (rowscope adds owner_id, owning_business_unit and the
-- created/modified columns). migrations/0001_contoso-app-schema.sql is this
-- file with a Down part.
create schema app;

create table app.account (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  industry text,
  city text,
  country text,
  phone text,
  website text,
  annual_revenue numeric(14, 2),
  credit_limit numeric(14, 2)
);

create table app.contact (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  job_title text,
  email text,
  phone text,
  account_id uuid references app.account (id)
);
create index contact_account_id on app.contact (account_id);

create table app.product (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  sku text not null unique,
  list_price numeric(12, 2) not null,
  description text
);

create table app.employee (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  job_title text,
  department text,
  email text,
  hire_date date,
  annual_income numeric(12, 2)
);
