// Migrates a database to the Contoso demo as this checkout builds it: the
// demo's application-schema migration, then a fresh `rowscope generate` of
// src/demo/contoso.yaml (the committed migrations/ hold rowscope's SQL as of
// their last regeneration, the tests want this checkout's sql/, as
// test/support/secured.ts does for the fixture models). Used by the console's
// browser tests and the backup, restore and replica tests.
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '../../src/db/migrate.ts';
import { DEMO_MIGRATIONS_DIR, DEMO_MODEL_FILE } from '../../src/demo/paths.ts';
import { generate } from '../../src/emit/generate.ts';
import { loadModel } from '../../src/model/index.ts';

export async function migrateContoso(url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rowscope-contoso-'));
  try {
    for (const name of readdirSync(DEMO_MIGRATIONS_DIR).filter((f) => f.includes('app-schema'))) {
      copyFileSync(join(DEMO_MIGRATIONS_DIR, name), join(dir, name));
    }
    generate({ model: await loadModel(DEMO_MODEL_FILE), modelFile: DEMO_MODEL_FILE, migrationsDir: dir });
    await runMigrations({ url, dir });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
