-- The audit retention cut-off (sql/235) is part of the audit API (SPEC §4
-- purge_audit's default); its ownership and PUBLIC revoke come from 900.
grant execute on function rowscope.audit_retention_cutoff() to rowscope_user;
