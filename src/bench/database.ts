// The bench database: created on the server (DATABASE_URL or the embedded
// PostgreSQL), given the app tables of src/bench/app-schema.sql, migrated with
// the migration `rowscope generate` writes for src/bench/model.yaml (in a temp
// folder), then loaded. A finished build is marked by a comment on the
// database, so `--keep` + a later run at the same scale and the same core SQL
// reuses it. Dropping it also drops its users' LOGIN roles (cluster-wide).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminUrlFor, createDatabase, dropDatabase, withClient } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { coreHash } from '../emit/core.ts';
import { generate } from '../emit/generate.ts';
import { loadModel } from '../model/index.ts';
import type { Model } from '../model/types.ts';
import { compileSetup } from '../compile/index.ts';
import { quoteIdentifier, statements } from '../sql/index.ts';
import { loadOrganization, rolePrefix, type LoadStep } from './load.ts';
import type { Sizes } from './sizes.ts';

export const BENCH_MODEL_FILE = fileURLToPath(new URL('./model.yaml', import.meta.url));
const BENCH_APP_SCHEMA = fileURLToPath(new URL('./app-schema.sql', import.meta.url));

/** Scale, core SQL and the compiled bench model: a change to any of them rebuilds the database. */
function marker(sizes: Sizes, model: Model): string {
  const compiled = createHash('sha256').update(statements(compileSetup(model)).text).digest('hex').slice(0, 16);
  return `rowscope bench; scale ${sizes.scale}; core ${coreHash()}; model ${compiled}; complete`;
}

async function currentMarker(serverUrl: string, name: string): Promise<string | null | undefined> {
  return withClient(adminUrlFor(serverUrl, 'postgres'), async (c) => {
    const { rows } = await c.query<{ m: string | null }>(
      "select shobj_description(oid, 'pg_database') as m from pg_database where datname = $1", [name]);
    return rows.length === 0 ? undefined : rows[0]!.m;
  });
}

/** Drops the bench database and the LOGIN roles of its users. */
export async function dropBenchDatabase(serverUrl: string, name: string): Promise<void> {
  if ((await currentMarker(serverUrl, name)) === undefined) return;
  let roles: string[] = [];
  try {
    roles = await withClient(adminUrlFor(serverUrl, name), async (c) =>
      (await c.query<{ r: string }>('select db_role as r from rowscope.system_user where starts_with(db_role, $1)', [rolePrefix(name)])).rows.map((x) => x.r));
  } catch {
    // half-built: no catalog yet
  }
  await dropDatabase(serverUrl, name);
  await withClient(adminUrlFor(serverUrl, 'postgres'), async (c) => {
    for (const role of roles) await c.query(`drop role if exists ${quoteIdentifier(role)}`);
  });
}

/** Gives an empty database the app tables of app-schema.sql and migrates it for the bench model: the state the load starts from. */
export async function migrateBenchDatabase(url: string, model?: Model): Promise<void> {
  const benchModel = model ?? await loadModel(BENCH_MODEL_FILE);
  await withClient(url, (c) => c.query(readFileSync(BENCH_APP_SCHEMA, 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'rowscope-bench-migrations-'));
  try {
    generate({ model: benchModel, modelFile: BENCH_MODEL_FILE, migrationsDir: dir });
    await runMigrations({ url, dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The URL of a bench database for `sizes`: reused when a complete one is there (and reuse is asked), else built. */
export async function benchDatabase(opts: { serverUrl: string; name: string; sizes: Sizes; reuse: boolean; say: (line: string) => void }): Promise<string> {
  const { serverUrl, name, sizes, say } = opts;
  const url = adminUrlFor(serverUrl, name);
  const model = await loadModel(BENCH_MODEL_FILE);
  const complete = marker(sizes, model);
  if (opts.reuse && (await currentMarker(serverUrl, name)) === complete) {
    say(`reusing the bench database ${name} (scale ${sizes.scale})`);
    return url;
  }
  await dropBenchDatabase(serverUrl, name);
  await withClient(adminUrlFor(serverUrl, 'postgres'), async (c) => {
    const { rows } = await c.query<{ s: boolean }>('select rolsuper as s from pg_roles where rolname = current_user');
    if (!rows[0]?.s) throw new Error('rowscope bench: needs a superuser connection (it creates a database, LOGIN roles and bulk-loads with triggers off)');
  });
  say(`creating the bench database ${name}`);
  await createDatabase(serverUrl, name);
  const started = Date.now();
  say('migrating (core schema and the bench model)');
  await migrateBenchDatabase(url, model);
  await withClient(url, async (c) => {
    const steps = await loadOrganization(c, sizes, say);
    // kept with the database: a later run that reuses it reports how it was built
    await c.query(`create table public.rowscope_bench_load (n int primary key, step text not null, rows bigint not null, seconds numeric not null,
                                                           backend_cpu_seconds numeric)`);
    await c.query(`insert into public.rowscope_bench_load select n, step, rows, seconds, backend_cpu_seconds
                   from rows from (jsonb_to_recordset($1) as (step text, rows bigint, seconds numeric, backend_cpu_seconds numeric))
                     with ordinality as s(step, rows, seconds, backend_cpu_seconds, n)`, [JSON.stringify(steps)]);
  });
  await withClient(adminUrlFor(serverUrl, 'postgres'), (c) =>
    c.query(`comment on database ${quoteIdentifier(name)} is ${c.escapeLiteral(complete)}`));
  say(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return url;
}

/** The load steps recorded when the bench database was built (empty for one built before they were kept). */
export async function loadSteps(url: string): Promise<LoadStep[]> {
  return withClient(url, async (c) => {
    const { rows: [t] } = await c.query<{ r: string | null }>("select to_regclass('public.rowscope_bench_load')::text as r");
    if (!t?.r) return [];
    // (a database built before the backend's CPU time was kept has no such column)
    const { rows } = await c.query<{ step: string; rows: string; seconds: string; cpu: string | null }>(
      `select step, rows, seconds, to_jsonb(l) ->> 'backend_cpu_seconds' as cpu from public.rowscope_bench_load l order by n`);
    return rows.map((r) => ({ step: r.step, rows: Number(r.rows), seconds: Number(r.seconds),
                              ...(r.cpu !== null ? { backend_cpu_seconds: Number(r.cpu) } : {}) }));
  });
}
