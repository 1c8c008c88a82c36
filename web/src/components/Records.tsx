// The records of one table that the signed-in user may read (the api view
// through GraphQL), each linking to its access page.
import { useContext, useState } from 'preact/hooks';
import { personName, SessionContext } from '../lib/context.ts';
import { href } from '../lib/route.ts';
import { useQuery } from '../lib/use-query.ts';
import { useTables } from '../lib/use-tables.ts';
import { ErrorBox } from './ErrorBox.tsx';
import { TableSelect } from './TableSelect.tsx';

const PAGE_SIZE = 100;

export function Records({ table }: { table: string }) {
  const { people } = useContext(SessionContext);
  const { tables, error: tablesError } = useTables();
  const chosen = tables.find((t) => t.table === table) ?? (table ? undefined : tables.find((t) => t.table === 'account') ?? tables[0]);
  const [recordId, setRecordId] = useState('');
  const query = chosen
    ? `query Records($first: Int!) { list: ${chosen.connection}(first: $first, orderBy: ${chosen.label === 'id' ? 'PRIMARY_KEY_ASC' : `${chosen.label.replace(/([A-Z])/g, '_$1').toUpperCase()}_ASC`}) {
         totalCount nodes { id label: ${chosen.label} ${chosen.hasOwner ? 'ownerId' : ''} } } }`
    : null;
  const { data, error, loading } = useQuery<{ list: { totalCount: number; nodes: { id: string; label: string; ownerId?: string }[] } }>(query, { first: PAGE_SIZE });
  return (
    <section aria-labelledby="records-title">
      <h1 id="records-title">Records &amp; access</h1>
      <p>The records you may read; open one to see and change who has access to it.</p>
      <div class="toolbar">
        <TableSelect tables={tables} value={chosen?.table ?? table} onChange={(t) => (location.hash = href('records', { table: t }))} />
        <form class="inline" onSubmit={(e) => { e.preventDefault(); location.hash = href('access', { table: chosen?.table ?? table, id: recordId.trim() }); }}>
          <label>
            Record id
            <input name="record" value={recordId} required onInput={(e) => setRecordId((e.currentTarget as HTMLInputElement).value)} />
          </label>
          <button type="submit">Open</button>
        </form>
      </div>
      {tablesError !== undefined && <ErrorBox error={tablesError} what="The table list" />}
      {error !== undefined && <ErrorBox error={error} />}
      {loading && <p role="status">Loading…</p>}
      {data && chosen && (
        <>
          <p data-testid="record-count"><strong>{data.list.totalCount}</strong> {chosen.table} records you can read{data.list.totalCount > PAGE_SIZE ? ` (first ${PAGE_SIZE} shown)` : ''}.</p>
          <div class="scroll">
            <table data-testid="records">
              <thead><tr><th scope="col">{chosen.label}</th>{chosen.hasOwner && <th scope="col">Owner</th>}<th scope="col">Id</th></tr></thead>
              <tbody>
                {data.list.nodes.map((r) => (
                  <tr key={r.id}>
                    <td><a href={href('access', { table: chosen.table, id: r.id })}>{r.label ?? r.id}</a></td>
                    {chosen.hasOwner && <td>{personName(people, r.ownerId)}</td>}
                    <td><code>{r.id}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
