// The small migrations of single model changes (src/compile/diff.ts, snapshots
// in test/golden/model-changes.test.ts) applied to a real database: after the
// change's Up the database is secured exactly as a first migration of the new
// model leaves it, and after its Down exactly as the old model's.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { runMigrations } from '../../../src/db/migrate.ts';
import { generate } from '../../../src/emit/generate.ts';
import { loadModel } from '../../../src/model/index.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { CHANGES, type ModelChange } from '../../golden/model-changes.ts';
import { fingerprint } from './fingerprint.ts';

const APP_SCHEMA = fileURLToPath(new URL('../../fixtures/app-schema.sql', import.meta.url));
const APP_EXTRA = CHANGES.map((c) => c.appSql ?? '').join('\n');

let dir: string;
const dbs: TestDatabase[] = [];

async function appDatabase(): Promise<TestDatabase> {
  const db = await databaseFor({
    template: 'model_changes_app',
    build: async (url) => {
      const sql = await readFile(APP_SCHEMA, 'utf8');
      await withClient(url, (c) => c.query(`${sql}\n${APP_EXTRA}`));
    },
  });
  dbs.push(db);
  return db;
}

let n = 0;
async function migrateTo(db: TestDatabase, migrations: string, model: Record<string, unknown>): Promise<string | null> {
  const file = join(dir, `model-${n++}.yaml`);
  await writeFile(file, stringify(model));
  const { file: written } = generate({ model: await loadModel(file), modelFile: file, migrationsDir: migrations });
  await runMigrations({ url: db.url, dir: migrations });
  return written;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rowscope-model-changes-'));
});
afterAll(async () => {
  for (const db of dbs) await db.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.each(CHANGES)('the migration of one change applied: $name', (change: ModelChange) => {
  it('up leaves what a first migration of the new model does; down what the old one did', async () => {
    const fresh = async (model: Record<string, unknown>) => {
      const db = await appDatabase();
      await migrateTo(db, await mkdtemp(join(dir, 'fresh-')), model);
      return fingerprint(db.url);
    };
    const expectedBefore = await fresh(change.before);
    const expectedAfter = await fresh(change.after);
    expect(expectedAfter).not.toEqual(expectedBefore);

    const db = await appDatabase();
    const migrations = await mkdtemp(join(dir, 'changed-'));
    await migrateTo(db, migrations, change.before);
    const written = await migrateTo(db, migrations, change.after);
    expect(written).toMatch(/_rowscope-model\.sql$/);
    expect(await fingerprint(db.url)).toEqual(expectedAfter);

    await runMigrations({ url: db.url, dir: migrations, direction: 'down', count: 1 });
    expect(await fingerprint(db.url)).toEqual(expectedBefore);
  });
});
