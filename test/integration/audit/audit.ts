// Shared by the audit tests: reading the raw log as the superuser.
import type { Org } from '../../support/org.ts';

export interface AuditRow {
  id: string;
  user_id: string | null;
  db_role: string;
  txid: string;
  table_name: string;
  record_id: string | null;
  action: string;
  changes: Record<string, { old: unknown; new: unknown }>;
}

/** The log rows about one record or principal, oldest first. */
export function history(org: Org, recordId: string): Promise<AuditRow[]> {
  return org.admin<AuditRow>('select * from rowscope.audit_log where record_id = $1 order by id', [recordId]);
}

export async function logSize(org: Org): Promise<number> {
  const [row] = await org.admin<{ n: number }>('select count(*)::int as n from rowscope.audit_log');
  return row!.n;
}

export function verify(org: Org): Promise<{ id: string | null; problem: string }[]> {
  return org.admin('select * from rowscope.verify_audit()');
}
