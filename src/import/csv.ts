// A small RFC 4180 reader for `rowscope import DIR` (one CSV per kind): a
// header row, then one row per item; fields may be quoted ("a, b" and "" for
// a quote); empty fields are absent. Returns each row as an object keyed by
// the header, with its line number for messages.

export interface CsvRow {
  line: number;
  values: Record<string, string>;
}

export class CsvError extends Error {}

export function parseCsv(text: string): CsvRow[] {
  const records: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    fields = [];
    field = '';
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      if (ch === '\n') line++;
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === ',') { fields.push(field); field = ''; i++; continue; }
    if (ch === '\r' && src[i + 1] === '\n') { i++; continue; }
    if (ch === '\n') { endRecord(); line++; start = line; i++; continue; }
    field += ch;
    i++;
  }
  if (quoted) throw new CsvError(`line ${start}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0) endRecord();
  if (records.length === 0) return [];
  const header = records[0]!.fields.map((h) => h.trim());
  const seen = new Set<string>();
  for (const h of header) {
    if (h === '') throw new CsvError('line 1: a column of the header has no name');
    if (seen.has(h)) throw new CsvError(`line 1: column ${h} appears twice`);
    seen.add(h);
  }
  return records.slice(1).map((r) => {
    if (r.fields.length !== header.length) {
      throw new CsvError(`line ${r.line}: ${r.fields.length} fields; the header has ${header.length}`);
    }
    const values: Record<string, string> = {};
    header.forEach((h, k) => {
      const v = r.fields[k]!.trim();
      if (v !== '') values[h] = v;
    });
    return { line: r.line, values };
  });
}
