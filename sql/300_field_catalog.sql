-- Field security catalog (docs/security-model.md "Field security"): profiles and their column
-- permissions come from the model (synced by _sync_model); membership and
-- field shares are runtime security data managed through the admin API
-- (sql/320_field_admin.sql).

create table rowscope.field_security_profile (
  id uuid primary key default gen_random_uuid(),
  name text not null unique
);

-- What a profile grants on one secured column.
create table rowscope.field_profile_column (
  profile_id uuid not null references rowscope.field_security_profile (id) on delete cascade,
  table_name text not null,
  column_name text not null,
  can_read boolean not null default false,
  can_create boolean not null default false,
  can_update boolean not null default false,
  primary key (profile_id, table_name, column_name)
);
create index field_profile_column_lookup on rowscope.field_profile_column (table_name, column_name, profile_id);

-- Users and teams (owner or access) holding a profile; a team's members inherit it.
create table rowscope.field_profile_member (
  profile_id uuid not null references rowscope.field_security_profile (id) on delete cascade,
  principal_id uuid not null references rowscope.principal (id) on delete cascade,
  added_by uuid,
  added_on timestamptz not null default now(),
  primary key (profile_id, principal_id)
);
create index field_profile_member_principal on rowscope.field_profile_member (principal_id, profile_id);

-- PrincipalObjectAttributeAccess: one column of one record shared with a user or team.
create table rowscope.field_share (
  id bigint generated always as identity primary key,
  table_name text not null,
  record_id uuid not null,
  column_name text not null,
  principal_id uuid not null references rowscope.principal (id) on delete cascade,
  can_read boolean not null,
  can_update boolean not null,
  shared_by uuid,
  shared_on timestamptz not null default now(),
  check (can_read or can_update),
  constraint field_share_unique unique (table_name, record_id, column_name, principal_id)
);
-- "does anything share this column with me" (the read-mode InitPlan) and the per-record check
create index field_share_principal on rowscope.field_share (table_name, column_name, principal_id, record_id);
