// rowscope demo against DATABASE_URL (an empty database): applies the committed
// migrations/, seeds Contoso once, and prints what each demo user sees, as
// the database answers it for that user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import type { DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { DEMO_USERS } from '../../../src/demo/organization.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { runCli } from './run-cli.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await databaseFor({ template: 'rowscope_empty', build: async () => {} });
});
afterAll(() => db?.drop());

/** The user table the demo prints: role → [accounts, contacts]. */
function visible(stdout: string): Map<string, [number, number]> {
  const seen = new Map<string, [number, number]>();
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length === 7 && /^\d+$/.test(cells[5]!)) seen.set(cells[0]!, [Number(cells[5]), Number(cells[6])]);
  }
  return seen;
}

describe('rowscope demo', () => {
  it('migrates, seeds and shows each user what the database lets them see', { timeout: 120_000 }, async () => {
    const run = await runCli(['demo', '--no-graphql'], { databaseUrl: db.url });
    expect(run.stderr).toContain('applying 0001_contoso-app-schema');
    expect(run.stderr).toMatch(/seeded: 330 accounts, \d+ contacts/);
    expect(run.code).toBe(0);
    const seen = visible(run.stdout);
    expect([...seen.keys()]).toEqual(DEMO_USERS.map((u) => u.role));
    const accounts = Object.fromEntries([...seen].map(([role, [a]]) => [role, a]));
    expect(accounts).toEqual({
      irene: 330, // system administrator
      henry: 0, // environment admin: security data only
      grace: 330, // data steward: organization
      alice: 308, // sales manager: Sales and below (not Service's 22)
      bob: 128, // US East: his 70 and carol's 58
      carol: 128,
      dave: 64,
      erin: 61,
      hiro: 43,
      frank: 22, // employee base in Service Tier 1
      judy: 0, // no role
    });
    for (const user of DEMO_USERS) {
      expect(run.stdout).toContain(`as ${user.role} -- "select name from api.account limit 5"`);
    }
    expect(run.stdout).toContain('DATABASE_URL=');

    // The numbers are the database's: the same as counting as that user.
    const bob = await withClient(db.url, async (c) => {
      await c.query('begin');
      await c.query("select set_config('role', 'bob', true)");
      const { rows } = await c.query<{ n: number }>('select count(*)::int as n from app.account');
      await c.query('rollback');
      return rows[0]!.n;
    });
    expect(bob).toBe(128);
  });

  it('seeds only once, and the seeded database passes doctor', { timeout: 120_000 }, async () => {
    const again = await runCli(['demo', '--no-graphql'], { databaseUrl: db.url });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to migrate');
    expect(again.stderr).toContain('Contoso is seeded already');
    expect(visible(again.stdout).get('alice')).toEqual([308, expect.any(Number)]);

    const doctor = await runCli(['doctor', '--json'], { databaseUrl: db.url });
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    // Roles are cluster-wide: another test file may be breaking one of its own users for a moment.
    const demoRoles = new Set(DEMO_USERS.map((u) => `role ${u.role}`));
    const ours = report.findings.filter((f) => !f.object.startsWith('role ') || demoRoles.has(f.object));
    expect(ours).toEqual([]);
  });

  it('refuses --reset with DATABASE_URL in one line', async () => {
    const run = await runCli(['demo', '--reset', '--no-graphql'], { databaseUrl: db.url });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'rowscope: --reset rebuilds the embedded PostgreSQL only; with DATABASE_URL set, drop and create that database yourself',
    ]);
  });
});
