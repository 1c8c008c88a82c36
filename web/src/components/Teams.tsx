// Owner teams the signed-in user may read (api.team) and their members
// (api.team_member); members are added and removed with add_team_member /
// remove_team_member as the signed-in user.
import { useContext, useState } from 'preact/hooks';
import { personName, SessionContext } from '../lib/context.ts';
import { useAction } from '../lib/use-action.ts';
import { useQuery } from '../lib/use-query.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { ErrorBox } from './ErrorBox.tsx';
import { PersonInput, resolvePerson } from './PersonInput.tsx';

interface Team { id: string; name: string; businessUnitId: string; teamType: string; isDefault: boolean }

const TEAMS = `{
  allTeams(condition: { teamType: "owner" }) { nodes { id name businessUnitId teamType isDefault } }
  allTeamMembers { nodes { teamId userId } }
  allBusinessUnits { nodes { id name } }
}`;

export function Teams() {
  const { people } = useContext(SessionContext);
  const [version, setVersion] = useState(0);
  const { data, error, loading } = useQuery<{
    allTeams: { nodes: Team[] };
    allTeamMembers: { nodes: { teamId: string; userId: string }[] };
    allBusinessUnits: { nodes: { id: string; name: string }[] };
  }>(TEAMS, undefined, version);
  const [team, setTeam] = useState('');
  const [user, setUser] = useState('');
  const action = useAction();
  const teams = [...(data?.allTeams.nodes ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  const change = (op: 'add' | 'remove') => action.run(`${op === 'add' ? 'added' : 'removed'} ${user}`, (gql) => gql(
    `mutation Member($t: UUID!, $u: UUID!) { ${op === 'add' ? 'rowscopeAddTeamMember' : 'rowscopeRemoveTeamMember'}(input: { teamId: $t, userId: $u }) { clientMutationId } }`,
    { t: team, u: resolvePerson(people, user) }), () => setVersion((v) => v + 1));
  return (
    <section aria-labelledby="teams-page-title">
      <h1 id="teams-page-title">Teams</h1>
      {error !== undefined && <ErrorBox error={error} what="The team views" />}
      {loading && <p role="status">Loading…</p>}
      {data && (
        <div class="scroll">
          <table data-testid="teams">
            <thead><tr><th scope="col">Team</th><th scope="col">Business unit</th><th scope="col">Members</th></tr></thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}{t.isDefault ? ' (default)' : ''}</td>
                  <td>{data.allBusinessUnits.nodes.find((b) => b.id === t.businessUnitId)?.name ?? '—'}</td>
                  <td>{data.allTeamMembers.nodes.filter((m) => m.teamId === t.id).map((m) => personName(people, m.userId)).sort().join(', ') || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {teams.length > 0 && (
        <form class="inline" onSubmit={(e) => { e.preventDefault(); void change('add'); }}>
          <label>
            Team
            <select name="team" value={team} required onChange={(e) => setTeam((e.currentTarget as HTMLSelectElement).value)}>
              <option value="">Choose…</option>
              {teams.map((t) => <option key={t.id} value={t.id}>{t.name}</option>)}
            </select>
          </label>
          <PersonInput label="User" name="member" value={user} onInput={setUser} required />
          <button type="submit" disabled={action.busy}>Add member</button>
          <button type="button" disabled={action.busy || !team || !user} onClick={() => change('remove')}>Remove member</button>
        </form>
      )}
      <ActionStatus action={action} />
    </section>
  );
}
