// "Check access": user × table × record → explain_access, every right with
// its reasons, a denial's fix set apart. Checking someone else needs read on
// their system_user record; the server says so when it is missing.
import { useContext, useState } from 'preact/hooks';
import { SessionContext } from '../lib/context.ts';
import { useAction } from '../lib/use-action.ts';
import { useTables } from '../lib/use-tables.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { PersonInput, resolvePerson } from './PersonInput.tsx';
import { TableSelect } from './TableSelect.tsx';

interface Explained { accessRight: string; granted: boolean; reasons: string[] }

const EXPLAIN = `query Explain($t: String!, $id: UUID!, $u: UUID) {
  rowscopeExplainAccess(tableName: $t, recordId: $id, userId: $u) { nodes { accessRight granted reasons } }
}`;

export function CheckAccess({ initial }: { initial: { user: string; table: string; id: string } }) {
  const { people } = useContext(SessionContext);
  const { tables } = useTables();
  const [user, setUser] = useState(initial.user);
  const [table, setTable] = useState(initial.table || 'account');
  const [id, setId] = useState(initial.id);
  const [result, setResult] = useState<{ who: string; rows: Explained[] }>();
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    setResult(undefined);
    const who = user.trim() || 'you';
    void action.run('checked', async (gql) => {
      const data = await gql<{ rowscopeExplainAccess: { nodes: Explained[] } }>(EXPLAIN, { t: table, id: id.trim(), u: user.trim() ? resolvePerson(people, user) : null });
      setResult({ who, rows: data.rowscopeExplainAccess.nodes });
    });
  };
  return (
    <section aria-labelledby="check-title">
      <h1 id="check-title">Check access</h1>
      <p>Why may (or may not) a user do something with a record? Leave the user empty to check yourself.</p>
      <form class="stack" onSubmit={submit}>
        <PersonInput label="User" name="user" value={user} onInput={setUser} />
        <TableSelect tables={tables} value={table} onChange={setTable} />
        <label>
          Record id
          <input name="record" value={id} required onInput={(e) => setId((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <div class="buttons"><button type="submit" disabled={action.busy}>Check</button></div>
      </form>
      {action.error !== undefined && <ErrorBox error={action.error} />}
      {result && (
        <div class="scroll">
          <table data-testid="explain">
            <caption>{result.who} on {table} <code>{id}</code></caption>
            <thead><tr><th scope="col">Right</th><th scope="col">Granted</th><th scope="col">Reasons</th></tr></thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.accessRight} class={r.granted ? 'granted' : 'denied'}>
                  <th scope="row">{r.accessRight}</th>
                  <td>{r.granted ? 'yes' : 'no'}</td>
                  <td>
                    <ul class="reasons">
                      {r.reasons.map((reason, i) => <li key={i} class={reason.startsWith('fix:') ? 'fix' : undefined}>{reason}</li>)}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
