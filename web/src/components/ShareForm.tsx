// Share the record with a user or team, change the rights of an existing
// share, or revoke it (grant_access / modify_access / revoke_access).
import { useContext, useState } from 'preact/hooks';
import { SessionContext } from '../lib/context.ts';
import { useAction } from '../lib/use-action.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { PersonInput, resolvePerson } from './PersonInput.tsx';

export const RIGHTS = ['read', 'write', 'append', 'append_to', 'delete', 'assign', 'share'] as const;

const MUTATION = {
  grant: 'rowscopeGrantAccess',
  modify: 'rowscopeModifyAccess',
} as const;

export function ShareForm(props: { table: string; id: string; onChanged: () => void }) {
  const { people } = useContext(SessionContext);
  const [principal, setPrincipal] = useState('');
  const [rights, setRights] = useState<string[]>(['read']);
  const action = useAction();
  const vars = () => ({ t: props.table, id: props.id, p: resolvePerson(people, principal), r: rights });
  const call = (kind: keyof typeof MUTATION) => action.run(`${kind === 'grant' ? 'shared with' : 'changed the share of'} ${principal} (${rights.join(', ')})`, (gql) => gql(
    `mutation Share($t: String!, $id: UUID!, $p: UUID!, $r: [String]!) { ${MUTATION[kind]}(input: { tableName: $t, recordId: $id, principalId: $p, rights: $r }) { clientMutationId } }`,
    vars()), props.onChanged);
  const revoke = () => action.run(`revoked the share with ${principal}`, (gql) => gql(
    'mutation Revoke($t: String!, $id: UUID!, $p: UUID!) { rowscopeRevokeAccess(input: { tableName: $t, recordId: $id, principalId: $p }) { clientMutationId } }',
    { t: props.table, id: props.id, p: resolvePerson(people, principal) }), props.onChanged);
  return (
    <section aria-labelledby="share-title">
      <h2 id="share-title">Share</h2>
      <form class="stack" onSubmit={(e) => { e.preventDefault(); void call('grant'); }}>
        <PersonInput label="With (user or team id)" name="principal" value={principal} onInput={setPrincipal} required />
        <fieldset>
          <legend>Rights</legend>
          {RIGHTS.map((r) => (
            <label key={r} class="check">
              <input type="checkbox" name="rights" value={r} checked={rights.includes(r)}
                onChange={(e) => setRights((cur) => ((e.currentTarget as HTMLInputElement).checked ? [...cur, r] : cur.filter((x) => x !== r)))} />
              {r}
            </label>
          ))}
        </fieldset>
        <div class="buttons">
          <button type="submit" disabled={action.busy}>Share</button>
          <button type="button" disabled={action.busy || !principal} onClick={() => call('modify')}>Modify rights</button>
          <button type="button" disabled={action.busy || !principal} onClick={revoke}>Revoke</button>
        </div>
      </form>
      <ActionStatus action={action} />
    </section>
  );
}
