// What can be done to one user — move, disable / enable, assign or remove a
// role, set the manager, set the access mode — each a rowscope function
// called as the signed-in user; the database refuses what they may not do.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAction } from '../lib/use-action.ts';
import type { Fetcher } from '../lib/graphql.ts';
import { ActionStatus } from './ActionStatus.tsx';
import type { Directory, SystemUser } from './Users.tsx';

const M = (field: string, args: string) => `mutation Act${field}(${args.split(',').map((a) => a.trim()).filter(Boolean).map((a) => `$${a.split(':')[0]}: ${a.split(':')[1]}`).join(', ')}) {
  ${field}(input: { ${args.split(',').map((a) => a.trim()).filter(Boolean).map((a) => `${a.split(':')[0]}: $${a.split(':')[0]}`).join(', ')} }) { clientMutationId } }`;

export function UserActions(props: { user: SystemUser; roles: string[]; directory: Directory; onChanged: () => void }) {
  const { user, roles, directory, onChanged } = props;
  const action = useAction();
  const [unit, setUnit] = useState('');
  const [role, setRole] = useState('');
  const [manager, setManager] = useState('');
  const [mode, setMode] = useState(user.accessMode);
  const run = (what: string, fn: (gql: Fetcher) => Promise<unknown>) => action.run(`${what} (${user.dbRole})`, fn, onChanged);
  // Picking a user moves the keyboard focus to what can be done to them.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [user.id]);
  const units = [...directory.units].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="user-actions-title" class="panel">
      <h2 id="user-actions-title" tabIndex={-1} ref={heading}>{user.dbRole}</h2>
      <div class="buttons">
        {user.isDisabled
          ? <button type="button" onClick={() => run('enabled', (g) => g(M('rowscopeEnableUser', 'userId: UUID!'), { userId: user.id }))}>Enable</button>
          : <button type="button" onClick={() => run('disabled', (g) => g(M('rowscopeDisableUser', 'userId: UUID!'), { userId: user.id }))}>Disable</button>}
      </div>
      <form class="inline" onSubmit={(e) => { e.preventDefault(); void run('moved', (g) => g(M('rowscopeMoveUser', 'userId: UUID!, businessUnitId: UUID!'), { userId: user.id, businessUnitId: unit })); }}>
        <label>
          Move to business unit
          <select name="unit" value={unit} required onChange={(e) => setUnit((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Choose…</option>
            {units.map((u) => <option key={u.id} value={u.id}>{u.name}</option>)}
          </select>
        </label>
        <button type="submit">Move</button>
      </form>
      <form class="inline" onSubmit={(e) => { e.preventDefault(); void run(`assigned ${role}`, (g) => g(M('rowscopeAssignRole', 'principalId: UUID!, roleName: String!'), { principalId: user.id, roleName: role })); }}>
        <label>
          Role
          <select name="role" value={role} required onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Choose…</option>
            {directory.roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit">Assign role</button>
        <button type="button" disabled={!role} onClick={() => run(`removed ${role}`, (g) => g(M('rowscopeRemoveRole', 'principalId: UUID!, roleName: String!'), { principalId: user.id, roleName: role }))}>Remove role</button>
      </form>
      {roles.length > 0 && <p>Holds: {roles.join(', ')}</p>}
      <form class="inline" onSubmit={(e) => { e.preventDefault(); void run('set the manager', (g) => g(M('rowscopeSetManager', 'userId: UUID!, managerId: UUID'), { userId: user.id, managerId: manager || null })); }}>
        <label>
          Manager
          <select name="manager" value={manager} onChange={(e) => setManager((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">(none)</option>
            {directory.users.filter((u) => u.id !== user.id).map((u) => <option key={u.id} value={u.id}>{u.dbRole}</option>)}
          </select>
        </label>
        <button type="submit">Set manager</button>
      </form>
      <form class="inline" onSubmit={(e) => { e.preventDefault(); void run(`set access mode ${mode}`, (g) => g(M('rowscopeSetAccessMode', 'userId: UUID!, accessMode: String!'), { userId: user.id, accessMode: mode })); }}>
        <label>
          Access mode
          <select name="mode" value={mode} onChange={(e) => setMode((e.currentTarget as HTMLSelectElement).value)}>
            {['read_write', 'administrative', 'read', 'non_interactive'].map((m) => <option key={m} value={m}>{m}</option>)}
          </select>
        </label>
        <button type="submit">Set access mode</button>
      </form>
      <ActionStatus action={action} />
    </section>
  );
}
