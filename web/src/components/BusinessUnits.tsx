// The business-unit tree the signed-in user may read (api.business_unit), and
// creating a child unit (create_business_unit).
import { useState } from 'preact/hooks';
import { useAction } from '../lib/use-action.ts';
import { useQuery } from '../lib/use-query.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { ErrorBox } from './ErrorBox.tsx';

export interface BusinessUnit { id: string; name: string; parentId: string | null }

export const BUSINESS_UNITS = '{ allBusinessUnits { nodes { id name parentId } } }';

function Branch({ units, parent }: { units: BusinessUnit[]; parent: BusinessUnit }) {
  const children = units.filter((u) => u.parentId === parent.id).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <li>
      <span>{parent.name}</span>
      {children.length > 0 && <ul>{children.map((c) => <Branch key={c.id} units={units} parent={c} />)}</ul>}
    </li>
  );
}

export function BusinessUnits() {
  const [version, setVersion] = useState(0);
  const { data, error, loading } = useQuery<{ allBusinessUnits: { nodes: BusinessUnit[] } }>(BUSINESS_UNITS, undefined, version);
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const action = useAction();
  const units = data?.allBusinessUnits.nodes ?? [];
  // Roots of what the reader sees: units whose parent is not visible to them.
  const roots = units.filter((u) => !units.some((p) => p.id === u.parentId)).sort((a, b) => a.name.localeCompare(b.name));
  const create = (e: Event) => {
    e.preventDefault();
    void action.run(`created ${name}`, (gql) => gql(
      'mutation Bu($n: String!, $p: UUID!) { rowscopeCreateBusinessUnit(input: { name: $n, parentId: $p }) { clientMutationId } }',
      { n: name.trim(), p: parent }), () => setVersion((v) => v + 1));
  };
  return (
    <section aria-labelledby="bu-title">
      <h1 id="bu-title">Business units</h1>
      {error !== undefined && <ErrorBox error={error} what="The business_unit view" />}
      {loading && <p role="status">Loading…</p>}
      {data && <ul class="tree" data-testid="bu-tree">{roots.map((r) => <Branch key={r.id} units={units} parent={r} />)}</ul>}
      {units.length > 0 && (
        <form class="inline" onSubmit={create}>
          <label>
            New unit
            <input name="name" value={name} required onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <label>
            Parent
            <select name="parent" value={parent} required onChange={(e) => setParent((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">Choose…</option>
              {[...units].sort((a, b) => a.name.localeCompare(b.name)).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
            </select>
          </label>
          <button type="submit" disabled={action.busy}>Create</button>
        </form>
      )}
      <ActionStatus action={action} />
    </section>
  );
}
