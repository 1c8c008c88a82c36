// rowscope serve: --host/--port/--pool-size and HOST/PORT/ROWSCOPE_POOL_SIZE;
// serve and demo check their port before any database work; the embedded
// PostgreSQL explains in one line why it cannot run as root from a private
// folder (before writing anything).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { requireReachableAsRoot } from '../../../src/db/embedded.ts';
import { pickPort } from '../../../src/db/port.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { securedDatabase } from '../../support/secured.ts';
import { CLI, errorLines, runCli } from './run-cli.ts';

const SECRET = 'serve-test-secret-0123456789abcdef0123';
let db: TestDatabase;
let empty: TestDatabase;
let busy: Server;
let busyPort: number;

beforeAll(async () => {
  db = await securedDatabase('basic');
  empty = await databaseFor({ template: 'rowscope_empty', build: async () => {} });
  busyPort = await pickPort();
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(busyPort, 'localhost', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => busy?.close(resolve));
  await db?.drop();
  await empty?.drop();
});

/** Starts `rowscope serve`, waits for its URL line, returns it and a stop function. */
async function serve(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, 'serve', ...args], {
    env: { ...process.env, DATABASE_URL: db.url, ROWSCOPE_JWT_SECRET: SECRET, ROWSCOPE_DEBUG: '', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  for (let i = 0; i < 900 && !stdout.includes('GraphQL server at') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
  const url = /GraphQL server at (\S+) /.exec(stdout)?.[1];
  return {
    url,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGINT');
      return closed;
    },
  };
}

describe('rowscope serve', () => {
  it('listens where HOST and PORT say, --host and --port win over them (with a pool size from either)', { timeout: 120_000 }, async () => {
    const port = await pickPort();
    const fromEnv = await serve([], { HOST: '127.0.0.1', PORT: String(port), ROWSCOPE_POOL_SIZE: '3' });
    try {
      expect(fromEnv.url, fromEnv.stderr()).toBe(`http://127.0.0.1:${port}`);
      const response = await fetch(`${fromEnv.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' });
      expect(response.status).toBe(401);
    } finally {
      expect(await fromEnv.stop()).toBe(0);
    }
    const other = await pickPort();
    const fromFlags = await serve(['--host', '127.0.0.1', '--port', String(other), '--pool-size', '2'], { HOST: '0.0.0.0', PORT: String(port) });
    try {
      expect(fromFlags.url, fromFlags.stderr()).toBe(`http://127.0.0.1:${other}`);
    } finally {
      expect(await fromFlags.stop()).toBe(0);
    }
  });

  it('rejects bad values from the environment and a busy port, naming the way out, before any database work', async () => {
    const pool = await runCli(['serve'], { databaseUrl: db.url, env: { ROWSCOPE_JWT_SECRET: SECRET, ROWSCOPE_POOL_SIZE: '0' } });
    expect(pool.code).toBe(1);
    expect(errorLines(pool)).toEqual(['rowscope: ROWSCOPE_POOL_SIZE=0: expected a whole number from 1 to 1000']);
    const taken = await runCli(['serve', '--port', String(busyPort)], { databaseUrl: 'postgres://nobody@127.0.0.1:1/nothing', env: { ROWSCOPE_JWT_SECRET: SECRET } });
    expect(taken.code).toBe(1);
    expect(errorLines(taken)).toEqual([`rowscope: port ${busyPort} on localhost is in use (another rowscope demo or serve?); pick another with --port <port>`]);
  });
});

describe('rowscope demo', () => {
  it('checks its port before migrating or seeding anything', async () => {
    const run = await runCli(['demo', '--port', String(busyPort)], { databaseUrl: empty.url, env: { ROWSCOPE_JWT_SECRET: SECRET } });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([`rowscope: port ${busyPort} on localhost is in use (another rowscope demo or serve?); pick another with --port <port>`]);
    await withClient(empty.url, async (c) => {
      expect((await c.query("select to_regclass('public.pgmigrations') as m, to_regnamespace('rowscope') as s")).rows[0]).toEqual({ m: null, s: null });
    });
  });
});

describe('the embedded PostgreSQL as root in a private folder', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rowscope-private-')); // mode 700
    await mkdir(join(dir, 'project', 'migrations'), { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const message = (folder: string) =>
    `as root, the embedded PostgreSQL runs as the OS user postgres, which cannot enter ${folder} (mode 700); work in a folder others can enter (e.g. under /srv or /tmp), run \`chmod o+x ${folder}\`, run as another user, or set DATABASE_URL`;

  it('names the private folder and the fixes in one line', () => {
    expect(() => requireReachableAsRoot(join(dir, 'project', '.rowscope', 'pg'), 0)).toThrow(message(dir));
    // another user runs PostgreSQL itself: nothing to check
    expect(() => requireReachableAsRoot(join(dir, 'project', '.rowscope', 'pg'), 1000)).not.toThrow();
    // a folder others may enter is fine
    expect(() => requireReachableAsRoot(join(tmpdir(), 'x', '.rowscope', 'pg'), 0)).not.toThrow();
  });

  it('the CLI stops there, before writing .rowscope/', async () => {
    const run = await runCli(['migrate'], { cwd: join(dir, 'project'), env: { ROWSCOPE_PG_BIN: undefined } });
    expect(run.code).toBe(1);
    if (process.getuid?.() === 0) {
      expect(errorLines(run).at(-1)).toBe(`rowscope: ${message(dir)}`);
      expect(existsSync(join(dir, 'project', '.rowscope'))).toBe(false);
    } else {
      // not root: PostgreSQL runs as this user and the folder is no obstacle; the empty folder is the problem
      expect(errorLines(run).at(-1)).toMatch(/^rowscope: /);
    }
  });
});
