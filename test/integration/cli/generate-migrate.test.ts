// rowscope generate + migrate through the real CLI, against a fresh database
// holding the fixture application's tables: the first migration secures it, an
// unchanged model writes nothing, a changed model yields a second migration
// that applies on top and reverts with `migrate --down`.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { appTablesDatabase } from '../../support/app-tables.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { fixtureModelFile } from '../../support/secured.ts';
import { errorLines, hasStackTrace, runCli } from './run-cli.ts';


let db: TestDatabase;
let dir: string;
let migrations: string;

const roles = (url: string) =>
  withClient(url, async (c) => (await c.query<{ name: string }>('select name from rowscope.security_role order by name')).rows.map((r) => r.name));
const applied = (url: string) =>
  withClient(url, async (c) => (await c.query<{ name: string }>('select name from public.pgmigrations order by id')).rows.map((r) => r.name));

beforeAll(async () => {
  db = await appTablesDatabase();
  dir = await mkdtemp(join(tmpdir(), 'rowscope-cli-generate-'));
  migrations = join(dir, 'migrations');
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rowscope generate and migrate', () => {
  it('writes the first migration, then nothing while the model is unchanged', async () => {
    const first = await runCli(['generate', '--model', fixtureModelFile('basic'), '--migrations-dir', migrations]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^wrote .*\d+_rowscope-init\.sql \(the core schema and the model\)\n$/);
    const again = await runCli(['generate', '--model', fixtureModelFile('basic'), '--migrations-dir', migrations]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('model unchanged, nothing written\n');
    expect(await readdir(migrations)).toHaveLength(1);
  });

  it('migrate applies it to DATABASE_URL and shows progress', async () => {
    const run = await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(run.stderr).toMatch(/applying \d+_rowscope-init/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^applied 1 migration in [\d.]+ s\n$/);
    expect(await roles(db.url)).toContain('salesperson');
    const again = await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('nothing to migrate: the database is up to date\n');
  });

  it('a changed model yields a second migration that applies on top and reverts with --down', async () => {
    const changed = join(dir, 'changed.yaml');
    const base = await readFile(fixtureModelFile('basic'), 'utf8');
    await writeFile(changed, `${base}\n  auditor:\n    privileges:\n      account: { read: organization }\n`);
    const gen = await runCli(['generate', '--model', changed, '--migrations-dir', migrations]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/^wrote .*\d+_rowscope-model\.sql \(the model changes\)\n$/);
    expect(await readdir(migrations)).toHaveLength(2);

    const up = await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^applied 1 migration/);
    expect(await roles(db.url)).toContain('auditor');
    expect(await applied(db.url)).toHaveLength(2);

    const down = await runCli(['migrate', '--down', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(down.code).toBe(0);
    expect(down.stderr).toMatch(/reverting \d+_rowscope-model/);
    expect(down.stdout).toMatch(/^reverted 1 migration/);
    expect(await roles(db.url)).not.toContain('auditor');
    expect(await roles(db.url)).toContain('salesperson');
    expect(await applied(db.url)).toHaveLength(1);
  });
});

describe('rowscope migrate failures', () => {
  it('names the failing migration and PostgreSQL\'s reason in one line', async () => {
    const empty = await databaseFor({ template: 'rowscope_empty', build: async () => {} });
    try {
      const run = await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: empty.url });
      expect(run.code).toBe(1);
      const lines = errorLines(run).filter((l) => l.startsWith('rowscope: '));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^rowscope: migration \d+_rowscope-init failed: .*table app\.account named in the model does not exist/);
      expect(hasStackTrace(run.stderr)).toBe(false);
    } finally {
      await empty.drop();
    }
  });

  it('says so when the migrations folder is missing or the server does not answer', async () => {
    const missing = await runCli(['migrate', '--migrations-dir', join(dir, 'nope')], { databaseUrl: db.url });
    expect(missing.code).toBe(1);
    expect(errorLines(missing)).toEqual([`rowscope: no migrations folder ${join(dir, 'nope')}; run \`rowscope generate\` first or pass --migrations-dir`]);

    const refused = await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: 'postgres://nobody@127.0.0.1:1/nothing' });
    expect(refused.code).toBe(1);
    expect(errorLines(refused)).toEqual(['rowscope: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused; is PostgreSQL running there? (check DATABASE_URL)']);
  });
});
