// Give the record a new owner (rowscope.assign), as the signed-in user.
import { useContext, useState } from 'preact/hooks';
import { SessionContext } from '../lib/context.ts';
import { useAction } from '../lib/use-action.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { PersonInput, resolvePerson } from './PersonInput.tsx';

export function AssignForm(props: { table: string; id: string; onChanged: () => void }) {
  const { people } = useContext(SessionContext);
  const [owner, setOwner] = useState('');
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(`assigned to ${owner}`, (gql) => gql(
      'mutation Assign($t: String!, $id: UUID!, $o: UUID!) { rowscopeAssign(input: { tableName: $t, recordId: $id, newOwnerId: $o }) { clientMutationId } }',
      { t: props.table, id: props.id, o: resolvePerson(people, owner) }), props.onChanged);
  };
  return (
    <section aria-labelledby="assign-title">
      <h2 id="assign-title">Assign</h2>
      <form class="inline" onSubmit={submit}>
        <PersonInput label="New owner (user or team id)" name="owner" value={owner} onInput={setOwner} required />
        <button type="submit" disabled={action.busy}>Assign</button>
      </form>
      <ActionStatus action={action} />
    </section>
  );
}
