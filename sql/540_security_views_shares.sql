-- Shares as a reader may see them (sql/650_ddl_security_views.sql builds them): a share row shows to
-- its principal (a user, or every member of the team it names) and to users
-- holding share on the record, who manage it. Access teams are not shares:
-- they are team rows (sql/520). The deployment administrator sees all.
--   record_share: PrincipalObjectAccess rows, with the record they were
--     cascaded from (inherited_from_*) and who shared when.
--   field_share: one secured column of one record shared with a principal.
-- Tables on which the reader holds share at organization depth are matched by
-- name, the records shareable at narrower depths as a set
-- (rowscope._sv_shareable); both once per statement.
create function rowscope._sv_defs_shares(p_api text, out view_name text, out body text) returns setof record
language sql immutable set search_path = pg_catalog, pg_temp as $$
  values
  ('record_share', $v$
    select s.table_name, s.record_id, s.principal_id, s.rights, s.inherited_from_table,
           s.inherited_from_record, s.shared_by, s.shared_on
    from rowscope.record_share s
    where (select rowscope._is_deployment_admin())
       or s.principal_id = any ((select rowscope._sv_my_principals())::uuid[])
       or s.table_name = any ((select rowscope._sv_share_org_tables())::text[])
       or (s.table_name, s.record_id) in (select x.table_name, x.record_id from rowscope._sv_shareable('record_share') x)$v$),
  ('field_share', $v$
    select s.table_name, s.record_id, s.column_name, s.principal_id, s.can_read, s.can_update
    from rowscope.field_share s
    where (select rowscope._is_deployment_admin())
       or s.principal_id = any ((select rowscope._sv_my_principals())::uuid[])
       or s.table_name = any ((select rowscope._sv_share_org_tables())::text[])
       or (s.table_name, s.record_id) in (select x.table_name, x.record_id from rowscope._sv_shareable('field_share') x)$v$)
$$;
