-- The organization's structure as a reader may see it (built into the api
-- schema by rowscope._build_security_views, sql/650_ddl_security_views.sql):
--   business_unit: read on business_unit; a BU belongs to itself, so
--     business_unit depth shows one's own BU and parent_child its subtree.
--   system_user: read on system_user; a user is its own owner in its BU (user
--     depth: oneself); everyone enabled sees their own row.
--   position: read on system_user at any depth (positions are organization-wide).
-- Each returns the view's select; p_api is the api schema (for views built on
-- other security views).
create function rowscope._sv_defs_org(p_api text, out view_name text, out body text) returns setof record
language sql immutable set search_path = pg_catalog, pg_temp as $$
  values
  ('business_unit', $v$
    select b.id, b.name, b.parent_id, b.created_on
    from rowscope.business_unit b
    where (select rowscope._sv_all('business_unit'))
       or b.id = any ((select rowscope.scope_bus('business_unit', 'read'))::uuid[])$v$),
  ('system_user', $v$
    select u.id, u.db_role::text as db_role, u.business_unit_id, u.manager_id, u.position_id,
           u.access_mode, u.is_disabled, u.created_on
    from rowscope.system_user u
    where (select rowscope._sv_all('system_user'))
       or u.id = (select rowscope._sv_me())
       or u.id = any ((select rowscope.scope_owners('system_user', 'read'))::uuid[])
       or u.business_unit_id = any ((select rowscope.scope_bus('system_user', 'read'))::uuid[])$v$),
  ('position', $v$
    select p.id, p.name, p.parent_id
    from rowscope.position p
    where (select rowscope._sv_any('system_user'))$v$)
$$;
