-- Who may read, set on create, or update a secured column (docs/security-model.md "Field
-- security"): System Administrator; a profile granting the permission to the
-- user or to any team (owner or access) they belong to; for read and update,
-- a field share of that column on that record. A secured column no profile
-- names is therefore System Administrator only.

-- Users and their teams: the principals a profile or a field share can reach them through.
create function rowscope._field_principals(p_user uuid) returns uuid[]
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select array[p_user] || rowscope._all_teams(p_user)
$$;

-- System Administrator (held directly or through an owner team), while enabled and
-- while the access mode allows the kind of access (read / create / write).
create function rowscope._field_is_system_administrator(p_user uuid, p_table text, p_privilege text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select exists (select from rowscope._grants(p_user, p_table, p_privilege) g where g.role_name = 'system_administrator')
$$;

-- Whether a profile of the user (or of a team of theirs) grants p_permission
-- ('read' | 'create' | 'update') on the column, on every record.
create function rowscope._field_profile_allows(p_user uuid, p_table text, p_column text, p_permission text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select p_user is not null and (
    rowscope._field_is_system_administrator(p_user, p_table,
      case p_permission when 'read' then 'read' when 'create' then 'create' else 'write' end)
    or exists (
      select from rowscope.field_profile_member m
      join rowscope.field_profile_column c on c.profile_id = m.profile_id
      join rowscope.system_user u on u.id = p_user and not u.is_disabled
      where m.principal_id = any (rowscope._field_principals(p_user))
        and c.table_name = p_table and c.column_name = p_column
        and case p_permission when 'read' then c.can_read when 'create' then c.can_create when 'update' then c.can_update end))
$$;

-- Whether a field share gives the user p_permission ('read' | 'update') on this record's column.
create function rowscope._field_share_allows(p_user uuid, p_table text, p_column text, p_record uuid, p_permission text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select p_user is not null and exists (
    select from rowscope.field_share s
    join rowscope.system_user u on u.id = p_user and not u.is_disabled
    where s.table_name = p_table and s.column_name = p_column and s.record_id = p_record
      and s.principal_id = any (rowscope._field_principals(p_user))
      and case p_permission when 'read' then s.can_read when 'update' then s.can_update else false end)
$$;

create function rowscope._field_allows(p_user uuid, p_table text, p_column text, p_record uuid, p_permission text) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._field_profile_allows(p_user, p_table, p_column, p_permission)
      or (p_record is not null and rowscope._field_share_allows(p_user, p_table, p_column, p_record, p_permission))
$$;

-- How the acting user reads the column: 2 on every record (deployment admin,
-- System Administrator, a profile with read), 1 only where a field share gives
-- read, 0 nowhere. The api view calls it as an uncorrelated InitPlan, once per
-- statement: at 0 the column is a constant NULL and no per-row lookup runs.
create function rowscope.field_read_mode(p_table text, p_column text) returns smallint
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select case
    when rowscope._is_deployment_admin() then 2
    when rowscope._field_profile_allows(rowscope._current_user_id(), p_table, p_column, 'read') then 2
    when exists (select from rowscope.field_share s
                 where s.table_name = p_table and s.column_name = p_column and s.can_read
                   and s.principal_id = any (rowscope._field_principals(rowscope._current_user_id()))) then 1
    else 0 end::smallint
$$;

-- Field-level read of one record's column for the acting user (no row check:
-- callers such as the audit history check the record separately).
create function rowscope._can_read_field(p_table text, p_column text, p_record uuid) returns boolean
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select rowscope._is_deployment_admin()
      or rowscope._field_allows(rowscope._current_user_id(), p_table, p_column, p_record, 'read')
$$;

-- Name of the generated per-column reader (sql/620_ddl_api_view.sql).
create function rowscope._secured_reader_name(p_table text, p_column text) returns text
language sql immutable set search_path = pg_catalog, pg_temp as $$
  select left('field_' || p_table || '__' || p_column, 55) || '_' || left(md5(p_table || '.' || p_column), 7)
$$;

-- Drops every generated reader of a table's secured columns, found by the body
-- sql/620_ddl_api_view.sql writes rather than by the table's current columns:
-- readers of a column no longer secured, or dropped by the application, or of
-- a table the application dropped go too. A reader is a definer function
-- rowscope_user may execute, so none may outlive the view it was made for.
create function rowscope._drop_secured_readers(p_table text) returns void
language plpgsql set search_path = pg_catalog, pg_temp as $$
declare
  f record;
begin
  for f in
    select p.oid::regprocedure as fn from pg_proc p
    where p.pronamespace = 'rowscope'::regnamespace and p.prosecdef and p.pronargs = 1 and p.proargtypes[0] = 'uuid'::regtype
      and p.proname like 'field\_%' and p.prosrc like 'select t.%'
      and strpos(p.prosrc, format(' t where t.id = p_id and rowscope._can_read_field(%L, ', p_table)) > 0
  loop
    execute format('drop function %s', f.fn);
  end loop;
end
$$;
