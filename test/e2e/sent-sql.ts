// The statements the GraphQL server sends PostgreSQL while a request runs:
// the server's pool hands out pg.Client instances of this same module, so a
// spy on pg.Client.prototype.query sees their text and bound values. Used to
// show that a filter reaches PostgreSQL as the operator and parameter the
// docs promise (filter.test.ts, prefix-condition.test.ts).
import pg from 'pg';
import { vi } from 'vitest';

export interface SentQuery {
  text: string;
  values?: unknown[];
}

export async function sqlSentWhile<T>(run: () => Promise<T>): Promise<{ result: T; sent: SentQuery[] }> {
  const sent: SentQuery[] = [];
  const query = pg.Client.prototype.query;
  const spy = vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: any[]) {
    const q = args[0];
    if (q && typeof q === 'object' && typeof q.text === 'string') sent.push({ text: q.text, values: q.values });
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as never);
  try {
    return { result: await run(), sent };
  } finally {
    spy.mockRestore();
  }
}
