// A Contoso database for the backup, restore and replica tests: the demo's
// application tables, this checkout's rowscope migration for
// src/demo/contoso.yaml, and the organization of the upgrade test
// (test/integration/upgrade/org.ts: users, teams, positions, shares, field
// shares, audited changes), so every user's answers can be compared
// (test/integration/upgrade/answers.ts).
import { withClient } from '../../../src/db/client.ts';
import { migrateContoso } from '../../support/demo-database.ts';
import { loadOrganization, type LoadedOrg } from '../upgrade/org.ts';

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
