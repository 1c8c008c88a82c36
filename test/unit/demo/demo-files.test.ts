// The demo's committed files agree with each other: migrations/ holds the app
// schema of src/demo/app-schema.sql, then the migration generated from
// src/demo/contoso.yaml; the sample data is deterministic.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { latestRowscopeMigration } from '../../../src/emit/generate.ts';
import { coreHash } from '../../../src/emit/core.ts';
import { loadModel, modelHash } from '../../../src/model/index.ts';
import { DEMO_USERS } from '../../../src/demo/organization.ts';
import { DEMO_APP_SCHEMA_FILE, DEMO_MIGRATIONS_DIR, DEMO_MODEL_FILE } from '../../../src/demo/paths.ts';
import { sampleAccounts } from '../../../src/demo/sample-data.ts';

const REGENERATE = 'delete migrations/*_rowscope-*.sql and run: node src/cli/rowscope.mjs generate --model src/demo/contoso.yaml --migrations-dir migrations';

describe('the demo migrations', () => {
  const files = readdirSync(DEMO_MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();

  it('start with the app schema, as a migration with a Down part', () => {
    expect(files[0]).toBe('0001_contoso-app-schema.sql');
    const migration = readFileSync(join(DEMO_MIGRATIONS_DIR, files[0]!), 'utf8');
    const up = migration.split('-- Up Migration')[1]!.split('-- Down Migration')[0]!;
    const schema = readFileSync(DEMO_APP_SCHEMA_FILE, 'utf8').split('\n').filter((l) => !l.startsWith('--')).join('\n');
    expect(up.trim()).toBe(schema.trim());
    expect(migration).toMatch(/-- Down Migration\n(drop table app\.\w+;\n)+drop schema app;\n$/);
  });

  it(`end with the migration of the current contoso.yaml (if not: ${REGENERATE})`, async () => {
    expect(files.length).toBeGreaterThanOrEqual(2);
    const latest = latestRowscopeMigration(DEMO_MIGRATIONS_DIR);
    expect(latest?.modelHash).toBe(modelHash(await loadModel(DEMO_MODEL_FILE)));
  });

  it('were generated from the current sql/ (a warning only: sql/ moves while the demo migrations are committed)', () => {
    const latest = latestRowscopeMigration(DEMO_MIGRATIONS_DIR);
    if (latest?.coreHash !== coreHash()) {
      console.warn(`[rowscope] the demo migrations were generated from another version of sql/; to refresh them, ${REGENERATE}`);
    }
  });
});

describe('the demo sample data', () => {
  it('is the same on every run, with unique account names, owned by the demo users', () => {
    const first = sampleAccounts(DEMO_USERS);
    expect(sampleAccounts(DEMO_USERS)).toEqual(first);
    expect(first).toHaveLength(DEMO_USERS.reduce((n, u) => n + u.accounts, 0));
    expect(new Set(first.map((a) => a.name)).size).toBe(first.length);
    for (const a of first) expect(a.contacts.length).toBeGreaterThan(0);
  });
});
