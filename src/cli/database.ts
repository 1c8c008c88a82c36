// Which PostgreSQL a CLI command talks to (docs/reference.md): DATABASE_URL when set,
// else the embedded PostgreSQL whose data lives in `.rowscope/` of the current
// folder, started for the command and stopped after it. When that embedded
// cluster is already running (`rowscope demo` in another terminal), commands
// connect to it instead of trying to start it a second time.
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import pg from 'pg';
import { resolveDatabase } from '../db/resolve.ts';
import { debugging, progress, redact } from './output.ts';

export interface CliDatabase {
  /** Superuser (or DATABASE_URL's) connection URL. */
  url: string;
  /** env: DATABASE_URL; running: an embedded cluster someone else started; embedded: started by us. */
  kind: 'env' | 'running' | 'embedded' | 'pg15' | 'testcontainers';
  /** For messages: the URL without its password. */
  label: string;
  stop(): Promise<void>;
}

/** `<cwd>/.rowscope/pg`: the CLI's embedded cluster (src/db/embedded.ts). */
export function embeddedDataDir(): string {
  return resolve('.rowscope', 'pg');
}

/**
 * The URL of the embedded cluster in `dataDir` when a server is running on it
 * and accepts the stored password; undefined otherwise. postmaster.pid holds
 * the port on its fourth line.
 */
export async function runningEmbeddedUrl(dataDir = embeddedDataDir()): Promise<string | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const passwordFile = `${dataDir}.password`;
  if (!existsSync(pidFile) || !existsSync(passwordFile)) return undefined;
  try {
    const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
    if (!Number.isInteger(port) || port <= 0) return undefined;
    const password = readFileSync(passwordFile, 'utf8').trim();
    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    client.on('error', () => {});
    await client.connect();
    await client.end().catch(() => {});
    return url;
  } catch {
    // A stale pid file from a crash: PostgreSQL removes it itself on the next start.
    return undefined;
  }
}

export async function openDatabase(): Promise<CliDatabase> {
  const envUrl = process.env.DATABASE_URL;
  if (envUrl) return { url: envUrl, kind: 'env', label: redact(envUrl), stop: async () => {} };

  const dataDir = embeddedDataDir();
  const running = await runningEmbeddedUrl(dataDir);
  if (running) {
    progress(`using the embedded PostgreSQL already running on ${relative(process.cwd(), dataDir) || dataDir}`);
    return { url: running, kind: 'running', label: redact(running), stop: async () => {} };
  }

  const shown = relative(process.cwd(), dataDir) || dataDir;
  if (!process.env.ROWSCOPE_PG_BIN) {
    progress(existsSync(join(dataDir, 'PG_VERSION'))
      ? `starting the embedded PostgreSQL (${shown})`
      : `creating an embedded PostgreSQL in ${shown} (first run: this takes a few seconds)`);
  }
  // The server's own log only with ROWSCOPE_DEBUG; a failed start says why anyway.
  const log = debugging() ? (text: string) => progress(`[postgres] ${text}`) : undefined;
  const db = await resolveDatabase({ purpose: 'cli', dataDir, log });
  return { url: db.url, kind: db.kind, label: redact(db.url), stop: () => db.stop() };
}

/** Runs `fn` with a database and always stops what was started for it. */
export async function withDatabase<T>(fn: (db: CliDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase();
  try {
    return await fn(db);
  } finally {
    await db.stop();
  }
}
