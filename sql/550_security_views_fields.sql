-- Field security profiles as a reader may see them (sql/650_ddl_security_views.sql builds them): read
-- on field_security_profile at any depth shows every profile, its column
-- permissions and its members (profiles are organization-wide).
create function rowscope._sv_defs_fields(p_api text, out view_name text, out body text) returns setof record
language sql immutable set search_path = pg_catalog, pg_temp as $$
  values
  ('field_security_profile', $v$
    select f.name
    from rowscope.field_security_profile f
    where (select rowscope._sv_any('field_security_profile'))$v$),
  ('field_permission', $v$
    select f.name as profile, c.table_name, c.column_name, c.can_read, c.can_update, c.can_create
    from rowscope.field_profile_column c
    join rowscope.field_security_profile f on f.id = c.profile_id
    where (select rowscope._sv_any('field_security_profile'))$v$),
  ('field_profile_member', $v$
    select f.name as profile, m.principal_id
    from rowscope.field_profile_member m
    join rowscope.field_security_profile f on f.id = m.profile_id
    where (select rowscope._sv_any('field_security_profile'))$v$)
$$;
