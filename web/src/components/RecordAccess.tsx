// One record's access: its owner, the signed-in user's rights on it, its
// shares (with where each came from) and its access teams; and the actions on
// it — share, modify, revoke, assign, access team members — each a rowscope
// function called through GraphQL as the signed-in user.
import { useContext, useState } from 'preact/hooks';
import { personName, SessionContext } from '../lib/context.ts';
import { href } from '../lib/route.ts';
import { useQuery } from '../lib/use-query.ts';
import { useTables } from '../lib/use-tables.ts';
import { AccessTeams } from './AccessTeams.tsx';
import { AssignForm } from './AssignForm.tsx';
import { ErrorBox } from './ErrorBox.tsx';
import { ShareForm } from './ShareForm.tsx';
import { Shares } from './Shares.tsx';

export function RecordAccess({ table, id }: { table: string; id: string }) {
  const { people } = useContext(SessionContext);
  const { tables } = useTables();
  const meta = tables.find((t) => t.table === table);
  const byId = meta ? `${meta.type[0]!.toLowerCase()}${meta.type.slice(1)}ById` : null;
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const record = useQuery<{ record: { id: string; label?: string; ownerId?: string } | null }>(
    byId ? `query Rec($id: UUID!) { record: ${byId}(id: $id) { id label: ${meta!.label} ${meta!.hasOwner ? 'ownerId' : ''} } }` : null, { id }, version);
  const rights = useQuery<{ rowscopeCheckAccess: string[] | null }>(
    'query Rights($t: String!, $id: UUID!) { rowscopeCheckAccess(tableName: $t, recordId: $id) }', { t: table, id }, version);
  const rec = record.data?.record;
  return (
    <section aria-labelledby="access-title">
      <p><a href={href('records', { table })}>← {table} records</a></p>
      <h1 id="access-title">Access to {table} {rec?.label ? <q>{rec.label}</q> : <code>{id}</code>}</h1>
      {record.error !== undefined && <ErrorBox error={record.error} />}
      {record.data && !rec && <p class="notice" role="status">You cannot read this record (or it does not exist).</p>}
      <dl class="facts">
        <dt>Record id</dt><dd><code>{id}</code></dd>
        {meta?.hasOwner && <><dt>Owner</dt><dd data-testid="owner">{personName(people, rec?.ownerId)}</dd></>}
        <dt>Your rights</dt>
        <dd data-testid="my-rights">{rights.error !== undefined ? <ErrorBox error={rights.error} /> : rights.data ? (rights.data.rowscopeCheckAccess ?? []).join(', ') || 'none' : '…'}</dd>
      </dl>
      <p><a href={href('check', { table, id })}>Check another user's access to this record</a></p>
      <Shares table={table} id={id} version={version} onChanged={reload} />
      <AccessTeams table={table} id={id} version={version} onChanged={reload} />
      <ShareForm table={table} id={id} onChanged={reload} />
      {meta?.hasOwner !== false && <AssignForm table={table} id={id} onChanged={reload} />}
    </section>
  );
}
