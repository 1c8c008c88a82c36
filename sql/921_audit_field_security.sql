-- Audit of field security data (docs/security-model.md "Audit": profile membership and field
-- shares), attached here because those tables (300_field_catalog.sql) are
-- created after the other audit triggers (220_security_audit.sql).
create trigger rowscope_audit after insert or update or delete on rowscope.field_profile_member
  for each row execute function rowscope._tg_audit_security('field_profile_member', 'principal_id',
                                                             'add_profile_member', 'update_profile_member', 'remove_profile_member');
-- under the record's own table, like record shares
create trigger rowscope_audit after insert or update or delete on rowscope.field_share
  for each row execute function rowscope._tg_audit_security('*', 'record_id', 'share_field', 'modify_field_share', 'unshare_field');
