// A database secured by a fixture model: the application's tables
// (test/fixtures/app-schema.sql), then the migration `rowscope generate` writes
// for the model, applied with node-pg-migrate. Built once per run as a template.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withClient } from '../../src/db/client.ts';
import { runMigrations } from '../../src/db/migrate.ts';
import { generate } from '../../src/emit/generate.ts';
import { loadModel } from '../../src/model/index.ts';
import { databaseFor, type TestDatabase } from './database.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function fixtureModelFile(name: string): string {
  return join(FIXTURES, 'models', `${name}.yaml`);
}

export async function buildSecured(url: string, modelName: string): Promise<void> {
  await withClient(url, (c) => c.query(readFileSync(join(FIXTURES, 'app-schema.sql'), 'utf8')));
  // a model may need more app tables: test/fixtures/<model>.app-schema.sql
  const extra = join(FIXTURES, `${modelName}.app-schema.sql`);
  if (existsSync(extra)) await withClient(url, (c) => c.query(readFileSync(extra, 'utf8')));
  const dir = mkdtempSync(join(tmpdir(), 'rowscope-migrations-'));
  try {
    const file = fixtureModelFile(modelName);
    generate({ model: await loadModel(file), modelFile: file, migrationsDir: dir });
    await runMigrations({ url, dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh database secured by test/fixtures/models/<model>.yaml. */
export function securedDatabase(model = 'basic'): Promise<TestDatabase> {
  return databaseFor({ template: `secured_${model}`, build: (url) => buildSecured(url, model) });
}

/**
 * A fresh clone of the secured template with roles of its own
 * (rowscope.retag_database, sql/660): clones otherwise share the template's
 * class roles, which `rowscope doctor` rightly reports (database_roles_shared).
 */
export async function securedDatabaseWithOwnRoles(model = 'basic'): Promise<TestDatabase> {
  const db = await securedDatabase(model);
  await withClient(db.deployerUrl, (c) => c.query('select rowscope.retag_database()'));
  return db;
}
