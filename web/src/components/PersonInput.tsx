// A user (or, with ids, a team) picked by name: the known users are offered as
// suggestions; a typed db_role is turned into its id, anything else is taken
// as an id.
import { useContext, useId } from 'preact/hooks';
import { SessionContext, type Person } from '../lib/context.ts';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The id for a typed name or id; a name the console does not know is an error here, before any request. */
export function resolvePerson(people: Person[], value: string): string {
  const v = value.trim();
  const id = people.find((p) => p.label === v)?.id ?? (UUID.test(v) ? v : undefined);
  if (!id) throw new Error(`"${v}" is neither a user you can see nor an id`);
  return id;
}

export function PersonInput(props: { label: string; name: string; value: string; onInput: (v: string) => void; required?: boolean }) {
  const { people } = useContext(SessionContext);
  const listId = `people-${useId()}`;
  return (
    <label>
      {props.label}
      <input name={props.name} list={listId} value={props.value} required={props.required} autocomplete="off"
        placeholder="user name or id" onInput={(e) => props.onInput((e.currentTarget as HTMLInputElement).value)} />
      <datalist id={listId}>
        {people.map((p) => <option key={p.id} value={p.label}>{p.detail ?? p.id}</option>)}
      </datalist>
    </label>
  );
}
