// The users the signed-in user may read (api.system_user) with their business
// unit, manager, position, roles, teams, access mode and state; selecting one
// opens the actions on them (UserActions), and CreateUser adds one.
import { useState } from 'preact/hooks';
import { useQuery } from '../lib/use-query.ts';
import { BUSINESS_UNITS, type BusinessUnit } from './BusinessUnits.tsx';
import { CreateUser } from './CreateUser.tsx';
import { ErrorBox } from './ErrorBox.tsx';
import { UserActions } from './UserActions.tsx';

export interface SystemUser {
  id: string; dbRole: string; businessUnitId: string; managerId: string | null; positionId: string | null;
  accessMode: string; isDisabled: boolean;
}

export interface Directory {
  units: BusinessUnit[];
  users: SystemUser[];
  roles: string[];
}

const USERS = '{ allSystemUsers { nodes { id dbRole businessUnitId managerId positionId accessMode isDisabled } } }';
const POSITIONS = '{ allPositions { nodes { id name } } }';
const ASSIGNMENTS = '{ allRoleAssignments { nodes { principalId roleName businessUnitId } } }';
const TEAMS = '{ allTeams(condition: { teamType: "owner" }) { nodes { id name } } allTeamMembers { nodes { teamId userId } } }';
const ROLES = '{ allSecurityRoles { nodes { name } } }';

export function Users() {
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const users = useQuery<{ allSystemUsers: { nodes: SystemUser[] } }>(USERS, undefined, version);
  const units = useQuery<{ allBusinessUnits: { nodes: BusinessUnit[] } }>(BUSINESS_UNITS, undefined, version);
  const positions = useQuery<{ allPositions: { nodes: { id: string; name: string }[] } }>(POSITIONS);
  const assignments = useQuery<{ allRoleAssignments: { nodes: { principalId: string; roleName: string }[] } }>(ASSIGNMENTS, undefined, version);
  const teams = useQuery<{ allTeams: { nodes: { id: string; name: string }[] }; allTeamMembers: { nodes: { teamId: string; userId: string }[] } }>(TEAMS, undefined, version);
  const roles = useQuery<{ allSecurityRoles: { nodes: { name: string }[] } }>(ROLES);
  const [selected, setSelected] = useState<string>();

  const list = [...(users.data?.allSystemUsers.nodes ?? [])].sort((a, b) => a.dbRole.localeCompare(b.dbRole));
  const unitName = (id: string | null) => units.data?.allBusinessUnits.nodes.find((u) => u.id === id)?.name ?? (id ? `${id.slice(0, 8)}…` : '—');
  const userName = (id: string | null) => list.find((u) => u.id === id)?.dbRole ?? (id ? `${id.slice(0, 8)}…` : '—');
  const positionName = (id: string | null) => positions.data?.allPositions.nodes.find((p) => p.id === id)?.name ?? (id ? `${id.slice(0, 8)}…` : '—');
  const rolesOf = (id: string) => assignments.data?.allRoleAssignments.nodes.filter((a) => a.principalId === id).map((a) => a.roleName).sort() ?? [];
  const teamsOf = (id: string) => {
    const t = teams.data;
    if (!t) return [];
    return t.allTeamMembers.nodes.filter((m) => m.userId === id).map((m) => t.allTeams.nodes.find((x) => x.id === m.teamId)?.name).filter((n): n is string => !!n).sort();
  };
  const directory: Directory = {
    units: units.data?.allBusinessUnits.nodes ?? [],
    users: list,
    roles: (roles.data?.allSecurityRoles.nodes ?? []).map((r) => r.name).sort(),
  };
  const current = list.find((u) => u.id === selected);
  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      {users.error !== undefined && <ErrorBox error={users.error} what="The system_user view" />}
      {[units, positions, assignments, teams].map((q, i) => q.error !== undefined && <ErrorBox key={i} error={q.error} />)}
      {users.loading && <p role="status">Loading…</p>}
      {users.data && (
        <div class="scroll">
          <table data-testid="users">
            <thead>
              <tr>
                <th scope="col">User</th><th scope="col">Business unit</th><th scope="col">Manager</th><th scope="col">Position</th>
                <th scope="col">Roles</th><th scope="col">Teams</th><th scope="col">Access mode</th><th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {list.map((u) => (
                <tr key={u.id} aria-selected={u.id === selected}>
                  <td><button type="button" class="link" onClick={() => setSelected(u.id)}>{u.dbRole}</button></td>
                  <td>{unitName(u.businessUnitId)}</td>
                  <td>{u.managerId ? userName(u.managerId) : '—'}</td>
                  <td>{u.positionId ? positionName(u.positionId) : '—'}</td>
                  <td>{rolesOf(u.id).join(', ') || '—'}</td>
                  <td>{teamsOf(u.id).join(', ') || '—'}</td>
                  <td>{u.accessMode}</td>
                  <td>{u.isDisabled ? 'disabled' : 'enabled'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {current && <UserActions user={current} roles={rolesOf(current.id)} directory={directory} onChanged={reload} />}
      {users.data && <CreateUser directory={directory} onChanged={reload} />}
    </section>
  );
}
