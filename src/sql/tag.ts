// A tiny, text-only DDL tag. Generated SQL is assembled only from:
//   sql`...`      static text written in this repository,
//   ident()       identifiers (always quoted, validated),
//   lit()         literals (strings, numbers, booleans, null, arrays, json),
//   keyword()     one word from a closed list,
//   join()/body() composition of the above.
// Interpolating anything else (a raw string, a number) throws, so user input
// can never reach the SQL text unquoted.

const FRAGMENT = Symbol('rowscope.sql');

export interface Sql {
  readonly [FRAGMENT]: true;
  readonly text: string;
}

export class SqlTagError extends Error {}

function fragment(text: string): Sql {
  return Object.freeze({ [FRAGMENT]: true as const, text });
}

export function isSql(value: unknown): value is Sql {
  return typeof value === 'object' && value !== null && (value as Sql)[FRAGMENT] === true;
}

export function sql(strings: TemplateStringsArray, ...values: Sql[]): Sql {
  let text = strings[0];
  values.forEach((value, i) => {
    if (!isSql(value)) {
      throw new SqlTagError(
        `sql\`\`: interpolation ${i + 1} is a raw ${typeof value}; wrap it in ident(), lit() or keyword()`,
      );
    }
    text += value.text + strings[i + 1];
  });
  return fragment(text);
}

const MAX_IDENTIFIER_BYTES = 63;

/** A quoted identifier; several parts make a qualified name (schema.table). */
export function ident(...parts: string[]): Sql {
  if (parts.length === 0) throw new SqlTagError('ident(): no name given');
  return fragment(parts.map(quoteIdentifier).join('.'));
}

export function quoteIdentifier(name: string): string {
  if (typeof name !== 'string' || name.length === 0) throw new SqlTagError('identifier must be a non-empty string');
  if (name.includes('\0')) throw new SqlTagError('identifier contains a NUL byte');
  if (Buffer.byteLength(name, 'utf8') > MAX_IDENTIFIER_BYTES) {
    throw new SqlTagError(`identifier "${name.slice(0, 20)}…" is longer than ${MAX_IDENTIFIER_BYTES} bytes`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

export type Literal = string | number | boolean | null | bigint | readonly Literal[] | { readonly json: unknown };

/** A literal value: strings are E''-free standard strings, arrays become ARRAY[...]. */
export function lit(value: Literal): Sql {
  return fragment(literalText(value));
}

function quoteString(value: string): string {
  if (value.includes('\0')) throw new SqlTagError('string literal contains a NUL byte');
  return `'${value.replaceAll("'", "''")}'`;
}

function literalText(value: Literal): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new SqlTagError(`lit(): ${value} is not a finite number`);
    return String(value);
  }
  if (typeof value === 'string') return quoteString(value);
  if (Array.isArray(value)) return `array[${value.map(literalText).join(', ')}]`;
  if (typeof value === 'object' && 'json' in value) return `${quoteString(JSON.stringify(value.json, null, 2))}::jsonb`;
  throw new SqlTagError(`lit(): unsupported value of type ${typeof value}`);
}

/** One keyword out of a closed list (e.g. a command name); anything else throws. */
export function keyword<K extends string>(word: K, allowed: readonly K[]): Sql {
  if (!allowed.includes(word) || !/^[a-z_ ]+$/.test(word)) {
    throw new SqlTagError(`keyword(): '${word}' is not one of ${allowed.join(', ')}`);
  }
  return fragment(word);
}

export function join(parts: readonly Sql[], separator: Sql = fragment(', ')): Sql {
  parts.forEach((p) => {
    if (!isSql(p)) throw new SqlTagError('join(): every part must be sql');
  });
  return fragment(parts.map((p) => p.text).join(separator.text));
}

export const empty: Sql = fragment('');
export const newline: Sql = fragment('\n');

export function indent(part: Sql, spaces = 2): Sql {
  const pad = ' '.repeat(spaces);
  return fragment(part.text.split('\n').map((line) => (line ? pad + line : line)).join('\n'));
}

/** Dollar-quotes a body (function or DO block) with a tag that does not occur in it. */
export function body(part: Sql): Sql {
  let tag = '$body$';
  for (let i = 1; part.text.includes(tag); i++) tag = `$body${i}$`;
  return fragment(`${tag}\n${part.text}\n${tag}`);
}

/** Statements separated by blank lines, each ending in a semicolon. */
export function statements(parts: readonly Sql[]): Sql {
  // comments get no semicolon; every statement ends in exactly one
  return fragment(parts.map((p) => (p.text.startsWith('--') ? p.text : p.text.trimEnd().replace(/;?$/, ';'))).join('\n\n'));
}

/** A one-line `-- comment`; line breaks are folded so the text cannot escape the comment. */
export function comment(text: string): Sql {
  return fragment(`-- ${text.replace(/[\r\n]+/g, ' ')}`);
}
