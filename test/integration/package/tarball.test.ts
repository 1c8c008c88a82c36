// The published package, used the way an adopter would: `npm pack` (which runs
// `prepare`, the dist/ build), `npm install <tarball>` into an empty folder,
// then `npx rowscope init`, `generate`, `migrate` against a test database and a
// small script that imports { defineModel, withUser } from 'rowscope'. Nothing
// of this repository is reachable from that folder, so a file missing from
// package.json "files", a dependency left in devDependencies or a source-only
// path (tsx, src/) fails here.
//
// Slow: the install fetches (or, with --prefer-offline, copies from the npm
// cache) the whole dependency tree, ~40 s on the CI machines.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appTablesDatabase } from '../../support/app-tables.ts';
import type { TestDatabase } from '../../support/database.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Run { code: number | null; stdout: string; stderr: string }

/** A command with this test's Node first on PATH (npx's `#!/usr/bin/env node` must find Node 22). */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);
  const full: NodeJS.ProcessEnv = { ...process.env, PATH, npm_config_update_notifier: 'false', ...env };
  delete full.DATABASE_URL;
  delete full.ROWSCOPE_PG_BIN;
  Object.assign(full, env);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ok = (r: Run) => {
  if (r.code !== 0) throw new Error(`exit ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
};

// The adopter's script: users are created as the deployment administrator,
// then each reads api.account through withUser on the same pool.
const SCRIPT = `
import pg from 'pg';
import { withUser, defineModel, compileSetup } from 'rowscope';
const tag = process.argv[2];
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
const one = async (text, values) => (await pool.query(text, values)).rows[0];
const root = (await one("select coalesce(rowscope.root_business_unit(), rowscope.create_business_unit('Organization', null)) as id")).id;
const seller = (await one('select rowscope.create_user($1, $2) as id', [tag + '_seller', root])).id;
await pool.query("select rowscope.assign_role($1, 'salesperson')", [seller]);
const other = (await one('select rowscope.create_user($1, $2) as id', [tag + '_other', root])).id;
await pool.query('insert into app.account (name, owner_id) values ($1, $2)', ['Fabrikam', seller]);
const count = (c) => c.query('select count(*)::int as n from api.account').then((r) => r.rows[0].n);
const seen = {
  sellerById: await withUser(pool, seller, count),
  sellerByRole: await withUser(pool, tag + '_seller', count),
  other: await withUser(pool, other, count),
  role: await withUser(pool, seller, (c) => c.query('select current_user as u').then((r) => r.rows[0].u)),
  after: (await one('select current_user as u')).u,
  typeofDefineModel: typeof defineModel,
  typeofCompileSetup: typeof compileSetup,
};
let refused;
try {
  await withUser(pool, other, (c) => c.query("insert into api.account (name) values ('x')"));
} catch (error) {
  refused = error.code;
}
seen.refused = refused;
await pool.end();
console.log(JSON.stringify(seen));
`;

let db: TestDatabase;
let dir: string;

beforeAll(async () => {
  db = await appTablesDatabase();
  dir = await mkdtemp(join(tmpdir(), 'rowscope-tarball-'));
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('installs into an empty folder and runs init, generate, migrate and a withUser query', { timeout: 300_000 }, async () => {
    const packed = ok(await run('npm', ['pack', '--pack-destination', dir, '--json'], ROOT));
    const [{ filename, files }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'bin/rowscope.mjs', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js', 'sql/010_catalog.sql', 'dist/demo/contoso.yaml']));
    expect(paths.filter((p) => /(^|\/)test\/|\.test\.|^src\//.test(p))).toEqual([]);

    const app = join(dir, 'app');
    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'adopter', private: true, type: 'module' }));
    ok(await run('npm', ['install', join(dir, filename), '--prefer-offline', '--no-audit', '--no-fund'], app));
    const manifest = JSON.parse(await readFile(join(app, 'node_modules', 'rowscope', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).not.toContain('testcontainers');
    expect(existsSync(join(app, 'node_modules', 'testcontainers'))).toBe(false);

    const env = { DATABASE_URL: db.url };
    expect(ok(await run('npx', ['rowscope', 'init'], app)).stdout).toMatch(/^wrote rowscope.config.ts/);
    // installed as a package, init writes the typed form, through the package's own export
    const starter = await readFile(join(app, 'rowscope.config.ts'), 'utf8');
    expect(starter).toContain("import { defineModel } from 'rowscope';\n\nexport default defineModel({");
    expect(starter).toMatch(/\n\}\);\n$/);
    expect(ok(await run('npx', ['rowscope', 'check'], app)).code).toBe(0);
    ok(await run('npx', ['rowscope', 'generate'], app));
    expect((await readdir(join(app, 'migrations'))).filter((f) => f.endsWith('_rowscope-init.sql'))).toHaveLength(1);
    const migrated = ok(await run('npx', ['rowscope', 'migrate'], app, env));
    expect(migrated.stdout).toMatch(/^applied 1 migration/);
    const status = ok(await run('npx', ['rowscope', 'migrate', '--status'], app, env));
    expect(status.stdout).toMatch(/^\d+_rowscope-init\s+applied\n$/);

    await writeFile(join(app, 'app.mjs'), SCRIPT);
    const tag = `pkg${Date.now().toString(36)}`;
    const script = ok(await run('node', ['app.mjs', tag], app, env));
    expect(JSON.parse(script.stdout)).toEqual({
      sellerById: 1,
      sellerByRole: 1,
      other: 0,
      role: `${tag}_seller`,
      after: expect.not.stringMatching(tag),
      typeofDefineModel: 'function',
      typeofCompileSetup: 'function',
      refused: '42501',
    });
  });
});
