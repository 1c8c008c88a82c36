-- The audit API (docs/reference.md) and the functions api.audit_log calls: function
-- calls in a view are checked against the querying user, not the view owner.
-- None of them takes a user argument; each answers for the current user only.
-- (Their ownership and PUBLIC revoke come from 900_ownership_and_grants.sql.)
grant execute on function
  rowscope.verify_audit(),
  rowscope.purge_audit(timestamptz),
  rowscope._audit_reader(),
  rowscope._audit_visible(text, uuid, text),
  rowscope._audit_open_tables(),
  rowscope._audit_masked_changes(text, uuid, text, jsonb)
to rowscope_user;
