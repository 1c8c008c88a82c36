// A model table: chosen from the discovered ones, or typed when the schema
// cannot be introspected (production).
import type { RecordTable } from '../lib/tables.ts';

export function TableSelect(props: { tables: RecordTable[]; value: string; onChange: (table: string) => void }) {
  const { tables, value, onChange } = props;
  if (!tables.length) {
    return (
      <label>
        Table
        <input name="table" value={value} required placeholder="e.g. account" onInput={(e) => onChange((e.currentTarget as HTMLInputElement).value.trim())} />
      </label>
    );
  }
  return (
    <label>
      Table
      <select name="table" value={value} onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        {!tables.some((t) => t.table === value) && <option value="">Choose a table…</option>}
        {tables.map((t) => <option key={t.table} value={t.table}>{t.table}</option>)}
      </select>
    </label>
  );
}
