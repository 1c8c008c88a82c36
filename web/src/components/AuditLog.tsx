// The audit history the signed-in user may read (api.audit_log), newest
// first, with verify_audit's verdict on the hash chain.
import { useQuery } from '../lib/use-query.ts';
import { ErrorBox } from './ErrorBox.tsx';

interface Entry { id: string; at: string; dbRole: string | null; tableName: string | null; recordId: string | null; action: string; changes: unknown }

const VERIFY = '{ rowscopeVerifyAudit { totalCount nodes { id problem } } }';
const LOG = '{ allAuditLogs(first: 200, orderBy: ID_DESC) { totalCount nodes { id at dbRole tableName recordId action changes } } }';

export function AuditLog() {
  const verify = useQuery<{ rowscopeVerifyAudit: { totalCount: number; nodes: { id: string; problem: string }[] } }>(VERIFY);
  const log = useQuery<{ allAuditLogs: { totalCount: number; nodes: Entry[] } }>(LOG);
  const problems = verify.data?.rowscopeVerifyAudit.nodes ?? [];
  const entries = [...(log.data?.allAuditLogs.nodes ?? [])].sort((a, b) => Number(b.id) - Number(a.id));
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <h2>Integrity</h2>
      {verify.error !== undefined && <ErrorBox error={verify.error} />}
      {verify.data && (problems.length === 0
        ? <p class="ok" data-testid="audit-verdict">verify_audit: the hash chain is intact (no problem found).</p>
        : (
          <div class="error" role="alert" data-testid="audit-verdict">
            verify_audit found {problems.length} problem{problems.length === 1 ? '' : 's'}:
            <ul>{problems.map((p) => <li key={`${p.id}-${p.problem}`}>entry {p.id}: {p.problem}</li>)}</ul>
          </div>
        ))}
      <h2>History</h2>
      {log.error !== undefined && <ErrorBox error={log.error} what="The audit_log view" />}
      {log.data && (
        <div class="scroll">
          <table data-testid="audit">
            <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Record</th><th scope="col">Changes</th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>{new Date(e.at).toLocaleString()}</td>
                  <td>{e.dbRole ?? '—'}</td>
                  <td>{e.action}</td>
                  <td>{e.tableName ?? ''} {e.recordId && <code>{e.recordId.slice(0, 8)}…</code>}</td>
                  <td><code class="changes">{e.changes == null ? '' : JSON.stringify(e.changes)}</code></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
