// Security roles as Dataverse's role editor shows them: per table, one column
// per privilege, the depth in each cell (read-only: roles are defined in the
// model file, in code).
import { useState } from 'preact/hooks';
import { useQuery } from '../lib/use-query.ts';
import { ErrorBox } from './ErrorBox.tsx';

const PRIVILEGES = ['create', 'read', 'write', 'delete', 'append', 'append_to', 'assign', 'share'] as const;
const DEPTHS: Record<string, string> = { user: 'User', business_unit: 'Business Unit', parent_child: 'Parent: Child BUs', organization: 'Organization' };

interface Privilege { roleName: string; tableName: string; privilege: string; depth: string }

const ROLES = `{
  allSecurityRoles { nodes { id name isBuiltin } }
  allRolePrivileges { nodes { roleName tableName privilege depth } }
  allRoleMiscPrivileges { nodes { roleName name } }
}`;

export function Roles() {
  const { data, error, loading } = useQuery<{
    allSecurityRoles: { nodes: { id: string; name: string; isBuiltin: boolean }[] };
    allRolePrivileges: { nodes: Privilege[] };
    allRoleMiscPrivileges: { nodes: { roleName: string; name: string }[] };
  }>(ROLES);
  const [chosen, setChosen] = useState('');
  const roles = [...(data?.allSecurityRoles.nodes ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const role = chosen || roles[0]?.name || '';
  const privileges = data?.allRolePrivileges.nodes.filter((p) => p.roleName === role) ?? [];
  const tables = [...new Set(privileges.map((p) => p.tableName))].sort();
  const misc = data?.allRoleMiscPrivileges.nodes.filter((p) => p.roleName === role).map((p) => p.name).sort() ?? [];
  return (
    <section aria-labelledby="roles-title">
      <h1 id="roles-title">Roles</h1>
      {error !== undefined && <ErrorBox error={error} what="The security role views" />}
      {loading && <p role="status">Loading…</p>}
      {roles.length > 0 && (
        <label>
          Role
          <select name="role" value={role} onChange={(e) => setChosen((e.currentTarget as HTMLSelectElement).value)}>
            {roles.map((r) => <option key={r.id} value={r.name}>{r.name}{r.isBuiltin ? ' (built-in)' : ''}</option>)}
          </select>
        </label>
      )}
      {role && data && (
        <div class="scroll">
          <table class="grid" data-testid="role-grid">
            <caption>Privileges of {role}</caption>
            <thead><tr><th scope="col">Table</th>{PRIVILEGES.map((p) => <th key={p} scope="col">{p}</th>)}</tr></thead>
            <tbody>
              {tables.map((t) => (
                <tr key={t}>
                  <th scope="row">{t}</th>
                  {PRIVILEGES.map((p) => {
                    const depth = privileges.find((x) => x.tableName === t && x.privilege === p)?.depth;
                    return <td key={p} class={depth ? `depth depth-${depth}` : 'depth depth-none'}>{depth ? DEPTHS[depth] ?? depth : '—'}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {role && data && <p>Miscellaneous privileges: {misc.join(', ') || 'none'}</p>}
    </section>
  );
}
