// PostgreSQL reports an error's `position` in characters of the statement;
// JavaScript strings index UTF-16 code units. node-pg-migrate 9 draws its caret
// under the failing statement from that position as if they were the same, so
// a statement with a character outside the Basic Multilingual Plane (an emoji
// in a model description or comment) before the error moves the caret left;
// when it lands on a line break, node-pg-migrate's `' '.repeat(-1)` throws a
// RangeError ("Invalid count value: -1") that replaces PostgreSQL's error
// (dist/bundle/index.js, its `query` wrapper). src/db/migrate.ts mends the
// position before node-pg-migrate sees it.
import type pg from 'pg';

/** PostgreSQL's 1-based character `position` in `text` as a 1-based UTF-16 position. */
export function utf16Position(text: string, position: number): number {
  let units = 0;
  let chars = 0;
  for (const ch of text) {
    if (chars === position - 1) break;
    units += ch.length;
    chars += 1;
  }
  return units + 1 + Math.max(0, position - 1 - chars);
}

/**
 * Rewrites `error.position` to a UTF-16 position in `text`, or removes it when
 * it would not point at a character of one line (then node-pg-migrate shows the
 * statement without a caret).
 */
export function mendErrorPosition(error: unknown, text: string | undefined): void {
  const e = error as { position?: string | number } | null;
  if (!e || typeof e !== 'object' || e.position === undefined || text === undefined) return;
  const p = Number(e.position);
  if (!Number.isInteger(p) || p < 1) return;
  const mended = utf16Position(text, p);
  if (mended > text.length + 1 || text[mended - 1] === '\n') delete e.position;
  else e.position = String(mended);
}

/** `client` whose failed queries carry positions node-pg-migrate can draw. */
export function withMendedPositions(client: pg.Client): pg.Client {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
  const mended = async (config: unknown, values?: unknown) => {
    try {
      return await query(config, values);
    } catch (error) {
      const text = typeof config === 'string' ? config : (config as { text?: string } | null)?.text;
      mendErrorPosition(error, text);
      throw error;
    }
  };
  (client as unknown as { query: typeof mended }).query = mended;
  return client;
}
