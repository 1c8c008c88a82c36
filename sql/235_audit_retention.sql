-- Audit retention (model option auditRetention, src/model/retention.ts): how
-- long history is kept. The generated migration stores it in rowscope.setting
-- in its canonical form ('90 days', '1 year'), which casts to an interval.

-- The default cut-off of purge_audit (sql/230, when called with null) and of the
-- CLI's `rowscope audit purge` without --before: history older than now() minus
-- the retention goes. Null when the model sets no retention (then a purge needs
-- an explicit time). It tells nothing but the model's option, so any rowscope
-- user may ask (sql/925); now() is the transaction's start, so one transaction
-- sees one cut-off.
create function rowscope.audit_retention_cutoff() returns timestamptz
language sql stable security definer set search_path = pg_catalog, pg_temp as $$
  select now() - (s.value #>> '{}')::interval
  from rowscope.setting s
  where s.key = 'auditRetention' and jsonb_typeof(s.value) = 'string'
$$;
