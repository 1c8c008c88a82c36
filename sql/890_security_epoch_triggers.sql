-- Every table of the rowscope schema holds security data the access sets are
-- computed from (sql/045), except the logs (and the audit's commit-step queue) and the per-transaction scratch
-- tables below. A statement that writes one bumps the security epoch first, so
-- cached access sets are recomputed. New tables get the trigger by default; the
-- test suite checks that none is missing.
do $epoch$
declare
  t record;
begin
  for t in
    select c.oid::regclass as rel from pg_class c
    where c.relnamespace = 'rowscope'::regnamespace and c.relkind in ('r', 'p')
      and c.relname not in ('security_epoch_stripe', 'audit_log', 'audit_chain', 'audit_commit_step', 'pending_assign', 'cascade_pass')
  loop
    execute format('create trigger rowscope_security_epoch before insert or update or delete or truncate on %s
                    for each statement execute function rowscope._bump_security_epoch()', t.rel);
  end loop;
end
$epoch$;
