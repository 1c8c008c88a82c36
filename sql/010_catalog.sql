-- The security data: business units, principals (users and teams share one uuid
-- space), security roles and their privileges, assignments, shares, the model's
-- tables. Depths are stored as their rank: 0 none, 1 user, 2 business_unit,
-- 3 parent_child, 4 organization.

-- Model-wide options written by the generated migration (ownershipAcrossBusinessUnits, ...).
create table rowscope.setting (
  key text primary key,
  value jsonb not null
);

create table rowscope.business_unit (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  parent_id uuid references rowscope.business_unit (id),
  created_on timestamptz not null default now(),
  check (parent_id is distinct from id)
);
-- exactly one root
create unique index business_unit_single_root on rowscope.business_unit ((true)) where parent_id is null;
create index business_unit_parent on rowscope.business_unit (parent_id);

create table rowscope.position (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  parent_id uuid references rowscope.position (id),
  check (parent_id is distinct from id)
);

create table rowscope.principal (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('user', 'team'))
);

create table rowscope.system_user (
  id uuid primary key references rowscope.principal (id),
  db_role name not null unique,
  business_unit_id uuid not null references rowscope.business_unit (id),
  manager_id uuid references rowscope.system_user (id),
  position_id uuid references rowscope.position (id),
  access_mode text not null default 'read_write'
    check (access_mode in ('read_write', 'administrative', 'read', 'non_interactive')),
  is_disabled boolean not null default false,
  created_on timestamptz not null default now(),
  check (manager_id is distinct from id)
);
create index system_user_business_unit on rowscope.system_user (business_unit_id);
create index system_user_manager on rowscope.system_user (manager_id);
create index system_user_position on rowscope.system_user (position_id);

create table rowscope.team (
  id uuid primary key references rowscope.principal (id),
  name text not null,
  business_unit_id uuid not null references rowscope.business_unit (id),
  team_type text not null default 'owner' check (team_type in ('owner', 'access')),
  -- access teams made from a template belong to one record
  record_table text,
  record_id uuid,
  template text,
  -- the BU's default owner team: its members are exactly the BU's users (sql/074)
  is_default boolean not null default false,
  created_on timestamptz not null default now(),
  check (not is_default or (team_type = 'owner' and record_id is null))
);
create unique index team_name on rowscope.team (name) where record_id is null;
create unique index team_default on rowscope.team (business_unit_id) where is_default;
create unique index team_record_template on rowscope.team (record_table, record_id, template) where record_id is not null;

create table rowscope.team_member (
  team_id uuid not null references rowscope.team (id) on delete cascade,
  user_id uuid not null references rowscope.system_user (id) on delete cascade,
  primary key (team_id, user_id)
);
create index team_member_user on rowscope.team_member (user_id);

create table rowscope.security_role (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  is_builtin boolean not null default false
);

create table rowscope.role_privilege (
  role_id uuid not null references rowscope.security_role (id) on delete cascade,
  table_name text not null,
  privilege text not null
    check (privilege in ('create', 'read', 'write', 'delete', 'append', 'append_to', 'assign', 'share')),
  depth smallint not null check (depth between 0 and 4),
  primary key (role_id, table_name, privilege)
);
create index role_privilege_lookup on rowscope.role_privilege (table_name, privilege, role_id);

create table rowscope.role_misc_privilege (
  role_id uuid not null references rowscope.security_role (id) on delete cascade,
  name text not null,
  primary key (role_id, name)
);

create table rowscope.role_assignment (
  principal_id uuid not null references rowscope.principal (id) on delete cascade,
  role_id uuid not null references rowscope.security_role (id) on delete cascade,
  -- null: the principal's own business unit (follows the principal when it moves)
  business_unit_id uuid references rowscope.business_unit (id),
  inheritance text not null default 'team_only' check (inheritance in ('team_only', 'direct_user_and_team')),
  assigned_on timestamptz not null default now(),
  unique nulls not distinct (principal_id, role_id, business_unit_id)
);
create index role_assignment_role on rowscope.role_assignment (role_id);

-- The model's tables (synced by the generated migration).
create table rowscope.secured_table (
  name text primary key,
  data_schema text not null,
  api_schema text not null,
  ownership text not null check (ownership in ('user', 'organization')),
  hierarchy_security boolean not null default false,
  -- the table's own hierarchy depth; null: the model's (setting hierarchyDepth)
  hierarchy_depth int check (hierarchy_depth between 1 and 100),
  secured_columns text[] not null default '{}',
  -- read access class -> NOLOGIN role name (DESIGN §3-4)
  class_roles jsonb not null
);

create table rowscope.relationship (
  table_name text not null references rowscope.secured_table (name) on delete cascade,
  column_name text not null,
  references_table text not null,
  cascade_assign text not null default 'all',
  cascade_share text not null default 'all',
  cascade_unshare text not null default 'all',
  cascade_reparent text not null default 'all',
  cascade_delete text not null default 'remove_link',
  primary key (table_name, column_name)
);

-- PrincipalObjectAccess: rights on one record granted to a user or a team.
create table rowscope.record_share (
  id bigint generated always as identity primary key,
  table_name text not null,
  record_id uuid not null,
  principal_id uuid not null references rowscope.principal (id) on delete cascade,
  rights text[] not null,
  -- a share cascaded from a parent record's share: (table, record) of the source
  inherited_from_table text,
  inherited_from_record uuid,
  shared_by uuid,
  shared_on timestamptz not null default now()
);
-- the share arm of the read policy: (table, principal) -> records, an index lookup
create index record_share_principal on rowscope.record_share (table_name, principal_id, record_id);
create index record_share_record on rowscope.record_share (table_name, record_id);
create unique index record_share_direct on rowscope.record_share (table_name, record_id, principal_id)
  where inherited_from_record is null;
