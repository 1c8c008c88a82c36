// The record's access teams (api.team rows of team_type access) and their
// members; members are added or removed per template
// (add_access_team_member / remove_access_team_member).
import { useContext, useState } from 'preact/hooks';
import { personName, SessionContext } from '../lib/context.ts';
import { useAction } from '../lib/use-action.ts';
import { useQuery } from '../lib/use-query.ts';
import { ActionStatus } from './ActionStatus.tsx';
import { ErrorBox } from './ErrorBox.tsx';
import { PersonInput, resolvePerson } from './PersonInput.tsx';

interface AccessTeam { id: string; name: string; template: string | null }

const TEAMS = `query AccessTeams($t: String!, $id: UUID!) {
  allTeams(condition: { recordTable: $t, recordId: $id }) { nodes { id name template } }
}`;

export function AccessTeams(props: { table: string; id: string; version: number; onChanged: () => void }) {
  const { people } = useContext(SessionContext);
  const teams = useQuery<{ allTeams: { nodes: AccessTeam[] } }>(TEAMS, { t: props.table, id: props.id }, props.version);
  const ids = teams.data?.allTeams.nodes.map((t) => t.id) ?? [];
  const members = useQuery<Record<string, { nodes: { userId: string }[] }>>(
    ids.length ? `query Members { ${ids.map((id, i) => `m${i}: allTeamMembers(condition: { teamId: ${JSON.stringify(id)} }) { nodes { userId } }`).join(' ')} }` : null,
    undefined, props.version);
  const [template, setTemplate] = useState('');
  const [user, setUser] = useState('');
  const action = useAction();
  const change = (op: 'add' | 'remove') => action.run(`${op === 'add' ? 'added' : 'removed'} ${user} ${op === 'add' ? 'to' : 'from'} ${template}`, (gql) => gql(
    `mutation Member($t: String!, $id: UUID!, $tpl: String!, $u: UUID!) {
       ${op === 'add' ? 'rowscopeAddAccessTeamMember' : 'rowscopeRemoveAccessTeamMember'}(input: { tableName: $t, recordId: $id, template: $tpl, userId: $u }) { clientMutationId } }`,
    { t: props.table, id: props.id, tpl: template.trim(), u: resolvePerson(people, user) }), props.onChanged);
  return (
    <section aria-labelledby="teams-title">
      <h2 id="teams-title">Access teams</h2>
      {teams.error !== undefined && <ErrorBox error={teams.error} what="The team view" />}
      {teams.data && (teams.data.allTeams.nodes.length === 0 ? <p>No access team you can see.</p> : (
        <ul data-testid="access-teams">
          {teams.data.allTeams.nodes.map((t, i) => (
            <li key={t.id}>
              <strong>{t.template ?? t.name}</strong>:{' '}
              {members.data?.[`m${i}`]?.nodes.map((m) => personName(people, m.userId)).join(', ') || 'no members you can see'}
            </li>
          ))}
        </ul>
      ))}
      <form class="inline" onSubmit={(e) => { e.preventDefault(); void change('add'); }}>
        <label>
          Template
          <input name="template" value={template} required placeholder="e.g. account_team" onInput={(e) => setTemplate((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <PersonInput label="User" name="member" value={user} onInput={setUser} required />
        <button type="submit" disabled={action.busy}>Add member</button>
        <button type="button" disabled={action.busy || !user || !template} onClick={() => change('remove')}>Remove member</button>
      </form>
      <ActionStatus action={action} />
    </section>
  );
}
