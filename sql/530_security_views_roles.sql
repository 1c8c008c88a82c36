-- Security roles as a reader may see them (sql/650_ddl_security_views.sql builds them):
--   security_role: read on security_role at any depth shows every role (roles
--     are organization-wide); everyone enabled sees the roles they hold,
--     directly or through an owner team.
--   role_privilege / role_misc_privilege: the definitions of the visible roles.
--     role_privilege is stored flattened over `extends` (src/model/normalize.ts),
--     shows no `none` rows and gives the depth by name. System Administrator
--     stores no privilege rows: it holds everything at organization depth by
--     being that role (rowscope._grant_summary), which is_builtin tells.
--   role_assignment: where the principal (user or team) is visible; everyone
--     sees their own and their teams'. business_unit_id is the effective BU:
--     the principal's own where the assignment names none.
create function rowscope._sv_defs_roles(p_api text, out view_name text, out body text) returns setof record
language sql immutable set search_path = pg_catalog, pg_temp as $$
  values
  ('security_role', $v$
    select r.id, r.name, r.is_builtin
    from rowscope.security_role r
    where (select rowscope._sv_any('security_role'))
       or r.id = any ((select rowscope._sv_my_roles())::uuid[])$v$),
  ('role_privilege', format($v$
    select r.name as role_name, p.table_name, p.privilege, rowscope._depth_name(p.depth) as depth
    from rowscope.role_privilege p
    join %I.security_role r on r.id = p.role_id
    where p.depth > 0$v$, p_api)),
  ('role_misc_privilege', format($v$
    select r.name as role_name, m.name
    from rowscope.role_misc_privilege m
    join %I.security_role r on r.id = m.role_id$v$, p_api)),
  ('role_assignment', format($v$
    select ra.principal_id, r.name as role_name,
           coalesce(ra.business_unit_id, u.business_unit_id, t.business_unit_id) as business_unit_id,
           ra.inheritance
    from rowscope.role_assignment ra
    join rowscope.security_role r on r.id = ra.role_id
    left join rowscope.system_user u on u.id = ra.principal_id
    left join rowscope.team t on t.id = ra.principal_id
    where ra.principal_id in (select v.id from %1$I.system_user v union all select v.id from %1$I.team v)$v$, p_api))
$$;
