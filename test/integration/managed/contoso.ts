// A Contoso database for the backup, restore and replica tests: the demo's
// application tables, this checkout's rowscope migration for
// src/demo/contoso.yaml, and the organization of the upgrade test
// (test/integration/upgrade/org.ts: users, teams, positions, shares, field
// shares, audited changes), so every user's answers can be compared
// (test/integration/upgrade/answers.ts).
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withClient } from '../../../src/db/client.ts';
import { runMigrations } from '../../../src/db/migrate.ts';
import { DEMO_MIGRATIONS_DIR, DEMO_MODEL_FILE } from '../../../src/demo/paths.ts';
import { generate } from '../../../src/emit/generate.ts';
import { loadModel } from '../../../src/model/index.ts';
import { loadOrganization, type LoadedOrg } from '../upgrade/org.ts';

export async function migrateContoso(url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rowscope-managed-'));
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

/** Creates `database` on the server of `superUrl`, migrates it and loads the organization. */
export async function contosoDatabase(superUrl: string, database: string): Promise<{ url: string; org: LoadedOrg }> {
  await withClient(superUrl, (c) => c.query(`create database ${database}`));
  const u = new URL(superUrl);
  u.pathname = `/${database}`;
  const url = u.toString();
  await migrateContoso(url);
  return { url, org: await loadOrganization(url) };
}

/** The audit log: rowscope.verify_audit()'s problems (none when the chain is intact), its rows and the chain's tip. */
export async function auditState(url: string): Promise<{ problems: unknown[]; rows: number; tip: string }> {
  return withClient(url, async (c) => ({
    problems: (await c.query('select * from rowscope.verify_audit()')).rows,
    rows: (await c.query<{ n: number }>('select count(*)::int as n from rowscope.audit_log')).rows[0]!.n,
    tip: (await c.query<{ h: string }>('select tip_hash as h from rowscope.audit_chain')).rows[0]!.h,
  }));
}
