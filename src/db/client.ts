// Small connection helpers shared by the CLI and the tests. Each helper opens
// its own short-lived connection: callers never have to remember to end one.
import pg from 'pg';
import { quoteIdentifier } from '../sql/index.ts';

/** Connects to `url`, runs `fn`, and always closes the connection. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  // An idle client whose server goes away emits 'error'; without a listener
  // that would crash the process instead of failing the next query.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** The same server and credentials as `url`, but database `database`. */
export function adminUrlFor(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** `create database name [template template]`, connected to the `postgres` database. */
export async function createDatabase(url: string, name: string, template?: string): Promise<void> {
  const from = template === undefined ? '' : ` template ${quoteIdentifier(template)}`;
  await withClient(adminUrlFor(url, 'postgres'), (c) => c.query(`create database ${quoteIdentifier(name)}${from}`));
}

/**
 * Drops `name` if it exists. Sessions still connected to it (a test that
 * forgot to end a pool, a crashed worker) would make DROP fail, so they are
 * terminated first; `with (force)` covers sessions that arrive in between.
 */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await withClient(adminUrlFor(url, 'postgres'), async (c) => {
    await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    await c.query(`drop database if exists ${quoteIdentifier(name)} with (force)`);
  });
}
