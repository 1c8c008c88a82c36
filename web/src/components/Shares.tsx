// The record's shares (api.record_share): who, which rights, shared by whom,
// and where an inherited share came from; each revocable.
import { useContext } from 'preact/hooks';
import { personName, SessionContext } from '../lib/context.ts';
import { useAction } from '../lib/use-action.ts';
import { useQuery } from '../lib/use-query.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { ErrorBox } from './ErrorBox.tsx';

interface Share {
  principalId: string;
  rights: string[];
  inheritedFromTable: string | null;
  inheritedFromRecord: string | null;
  sharedBy: string | null;
  sharedOn: string | null;
}

export const SHARES = `query Shares($t: String!, $id: UUID!) {
  allRecordShares(condition: { tableName: $t, recordId: $id }) {
    nodes { principalId rights inheritedFromTable inheritedFromRecord sharedBy sharedOn }
  }
}`;

export function Shares(props: { table: string; id: string; version: number; onChanged: () => void }) {
  const { people } = useContext(SessionContext);
  const { data, error } = useQuery<{ allRecordShares: { nodes: Share[] } }>(SHARES, { t: props.table, id: props.id }, props.version);
  const action = useAction();
  const revoke = (principalId: string) =>
    action.run(`revoked the share with ${personName(people, principalId)}`, (gql) => gql(
      'mutation Revoke($t: String!, $id: UUID!, $p: UUID!) { rowscopeRevokeAccess(input: { tableName: $t, recordId: $id, principalId: $p }) { clientMutationId } }',
      { t: props.table, id: props.id, p: principalId }), props.onChanged);
  return (
    <section aria-labelledby="shares-title">
      <h2 id="shares-title">Shares</h2>
      {error !== undefined && <ErrorBox error={error} what="The record_share view" />}
      {data && (data.allRecordShares.nodes.length === 0 ? <p>No shares you can see.</p> : (
        <div class="scroll">
          <table data-testid="shares">
            <thead><tr><th scope="col">With</th><th scope="col">Rights</th><th scope="col">Origin</th><th scope="col">Shared by</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {data.allRecordShares.nodes.map((s) => (
                <tr key={`${s.principalId}-${s.inheritedFromRecord ?? ''}`}>
                  <td>{personName(people, s.principalId)}</td>
                  <td>{s.rights.join(', ')}</td>
                  <td>{s.inheritedFromTable ? <>inherited from {s.inheritedFromTable} <code>{s.inheritedFromRecord?.slice(0, 8)}…</code></> : 'direct'}</td>
                  <td>{personName(people, s.sharedBy)}{s.sharedOn ? ` on ${new Date(s.sharedOn).toLocaleDateString()}` : ''}</td>
                  <td>{!s.inheritedFromTable && <button type="button" onClick={() => revoke(s.principalId)}>Revoke <span class="sr-only">share with {personName(people, s.principalId)}</span></button>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <ActionStatus action={action} />
    </section>
  );
}
