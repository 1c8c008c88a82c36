// Query results as psql prints them (aligned format): centred headers, numbers
// right-aligned, NULL as an empty cell, and a row count footer.

export interface ResultColumn {
  name: string;
  /** PostgreSQL type oid: numeric types are right-aligned. */
  dataTypeID: number;
}

export interface QueryOutput {
  /** INSERT, UPDATE, SELECT, ... */
  command: string;
  rowCount: number | null;
  columns: ResultColumn[];
  /** Values as PostgreSQL's text output; null for NULL. */
  rows: (string | null)[][];
}

// int8, int2, int4, oid, float4, float8, money, numeric
const NUMERIC_TYPES = new Set([20, 21, 23, 26, 700, 701, 790, 1700]);

/** Terminal columns: East Asian wide characters take two, combining marks none. */
function width(text: string): number {
  let n = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x300 && c <= 0x36f) || c === 0x200b || (c >= 0xfe00 && c <= 0xfe0f)) continue;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1faff) || (c >= 0x20000 && c <= 0x3fffd);
    n += wide ? 2 : 1;
  }
  return n;
}

/** One cell's text on one line: control characters shown escaped. */
function cellText(value: string | null): string {
  if (value === null) return '';
  return value.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}

function centre(text: string, size: number): string {
  const room = size - width(text);
  const left = Math.floor(room / 2);
  return ' '.repeat(left) + text + ' '.repeat(room - left);
}

export function formatTable(columns: ResultColumn[], rows: (string | null)[][]): string {
  const cells = rows.map((row) => row.map(cellText));
  const sizes = columns.map((c, i) => Math.max(width(c.name), ...cells.map((r) => width(r[i] ?? ''))));
  const right = columns.map((c) => NUMERIC_TYPES.has(c.dataTypeID));
  const pad = (text: string, i: number) => {
    const fill = ' '.repeat(sizes[i]! - width(text));
    return right[i] ? fill + text : text + fill;
  };
  const lines = [
    columns.map((c, i) => ` ${centre(c.name, sizes[i]!)} `).join('|'),
    sizes.map((s) => '-'.repeat(s + 2)).join('+'),
    ...cells.map((r) => r.map((v, i) => ` ${pad(v, i)} `).join('|')),
    `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`,
  ];
  return lines.map((l) => l.trimEnd()).join('\n');
}

/** What psql prints for a statement: the rows when it returns any columns, else its command tag. */
export function formatOutput(result: QueryOutput): string {
  if (result.columns.length > 0) return formatTable(result.columns, result.rows);
  if (result.command === 'INSERT') return `INSERT 0 ${result.rowCount ?? 0}`;
  return result.rowCount === null ? result.command : `${result.command} ${result.rowCount}`;
}
