// Add a user (create_user: a database login, a business unit, optionally a
// manager and an access mode), as the signed-in user.
import { useState } from 'preact/hooks';
import { useAction } from '../lib/use-action.ts';
import { ActionStatus } from './ActionStatus.tsx';
import type { Directory } from './Users.tsx';

export function CreateUser({ directory, onChanged }: { directory: Directory; onChanged: () => void }) {
  const action = useAction();
  const [dbRole, setDbRole] = useState('');
  const [unit, setUnit] = useState('');
  const [manager, setManager] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(`created ${dbRole}`, (gql) => gql(
      `mutation CreateUser($r: String!, $bu: UUID!, $m: UUID) {
         rowscopeCreateUser(input: { dbRole: $r, businessUnitId: $bu, managerId: $m }) { clientMutationId } }`,
      { r: dbRole.trim(), bu: unit, m: manager || null }), onChanged);
  };
  return (
    <section aria-labelledby="create-user-title">
      <h2 id="create-user-title">New user</h2>
      <form class="inline" onSubmit={submit}>
        <label>
          Login (db role)
          <input name="dbRole" value={dbRole} required pattern="[a-z_][a-z0-9_]*" onInput={(e) => setDbRole((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          Business unit
          <select name="unit" value={unit} required onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Choose…</option>
            {[...directory.units].sort((a, b) => a.name.localeCompare(b.name)).map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </label>
        <label>
          Manager
          <select name="manager" value={manager} onChange={(e) => setManager((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">(none)</option>
            {directory.users.map((u) => <option key={u.id} value={u.id}>{u.dbRole}</option>)}
          </select>
        </label>
        <button type="submit" disabled={action.busy}>Create user</button>
      </form>
      <ActionStatus action={action} />
    </section>
  );
}
