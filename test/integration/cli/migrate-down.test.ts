// rowscope migrate --status and the safe --down: a model-change down keeps
// every user, business unit, role assignment, share, audit row and application
// row; the init migration's down refuses (exit 1, nothing changed) naming what
// it would delete, and runs only with --drop-security-data.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { appTablesDatabase } from '../../support/app-tables.ts';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { fixtureModelFile } from '../../support/secured.ts';
import { errorLines, runCli } from './run-cli.ts';


let db: TestDatabase;
let dir: string;
let migrations: string;

interface Counts { users: number; bus: number; teams: number; defaultTeams: number; members: number; assignments: number; shares: number; audit: number; accounts: number; migrations: number }

const counts = (url: string): Promise<Counts> =>
  withClient(url, async (c) => {
    const n = async (text: string) => Number((await c.query<{ n: string }>(text)).rows[0]!.n);
    return {
      users: await n('select count(*) as n from rowscope.system_user'),
      bus: await n('select count(*) as n from rowscope.business_unit'),
      teams: await n('select count(*) as n from rowscope.team'),
      defaultTeams: await n('select count(*) as n from rowscope.team where is_default'),
      members: await n('select count(*) as n from rowscope.team_member'),
      assignments: await n('select count(*) as n from rowscope.role_assignment'),
      shares: await n('select count(*) as n from rowscope.record_share'),
      audit: await n('select count(*) as n from rowscope.audit_log'),
      accounts: await n('select count(*) as n from app.account'),
      migrations: await n('select count(*) as n from public.pgmigrations'),
    };
  });

const statusLines = (text: string) => text.trim().split('\n').map((l) => l.trim().split(/\s{2,}/));

beforeAll(async () => {
  db = await appTablesDatabase();
  dir = await mkdtemp(join(tmpdir(), 'rowscope-cli-down-'));
  migrations = join(dir, 'migrations');
});
afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rowscope migrate --status and --down', () => {
  let init: string;
  let change: string;

  it('--status lists each migration as pending, then applied', { timeout: 240_000 }, async () => {
    expect((await runCli(['generate', '--model', fixtureModelFile('basic'), '--migrations-dir', migrations])).code).toBe(0);
    const before = await runCli(['migrate', '--status', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(before.code).toBe(0);
    const [[name, state], ...rest] = statusLines(before.stdout);
    expect(rest).toEqual([]);
    expect(name).toMatch(/^\d+_rowscope-init$/);
    expect(state).toBe('pending');
    init = name!;

    expect((await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: db.url })).code).toBe(0);
    const changed = join(dir, 'changed.yaml');
    await writeFile(changed, `${await readFile(fixtureModelFile('basic'), 'utf8')}\n  auditor:\n    privileges:\n      account: { read: organization }\n`);
    expect((await runCli(['generate', '--model', changed, '--migrations-dir', migrations])).code).toBe(0);
    const after = await runCli(['migrate', '--status', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(after.code).toBe(0);
    const lines = statusLines(after.stdout);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual([init, 'applied']);
    expect(lines[1]![0]).toMatch(/^\d+_rowscope-model$/);
    expect(lines[1]![1]).toBe('pending');
    change = lines[1]![0]!;
    expect((await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: db.url })).code).toBe(0);
    expect(statusLines((await runCli(['migrate', '--status', '--migrations-dir', migrations], { databaseUrl: db.url })).stdout))
      .toEqual([[init, 'applied'], [change, 'applied']]);
  });

  it('a model-change down keeps every row of security data, audit and the application', async () => {
    const org = new Org(db.url);
    try {
      await org.createBu('root');
      await org.createBu('sales', 'root');
      await org.createBu('east', 'sales');
      await org.createUser('ann', 'sales', ['salesperson', 'reader_org']);
      await org.createUser('bob', 'east', ['salesperson']);
      await org.createUser('cy', 'root', ['sales_manager']);
      const account = await org.record('account', 'Fabrikam', 'ann');
      await org.record('account', 'Contoso', 'bob');
      await org.as('ann', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', account, org.id('bob'), ['read']]);
    } finally {
      await org.close();
    }
    const before = await counts(db.url);
    // every BU's default team, its users as members (sql/074_default_teams.sql)
    expect(before).toMatchObject({ users: 3, bus: 3, teams: 3, defaultTeams: 3, members: 3, accounts: 2, shares: 1, migrations: 2 });
    expect(before.assignments).toBe(4);
    expect(before.audit).toBeGreaterThan(0);

    const down = await runCli(['migrate', '--down', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(down.stderr).toMatch(new RegExp(`reverting ${change}`));
    expect(down.code).toBe(0);
    const after = await counts(db.url);
    // the down's re-sync may append audit rows, never remove any
    expect(after.audit).toBeGreaterThanOrEqual(before.audit);
    expect({ ...after, audit: 0 }).toEqual({ ...before, audit: 0, migrations: 1 });
  });

  it('the init migration\'s down refuses, naming what it would delete, and changes nothing', async () => {
    const before = await counts(db.url);
    // the teams are the three BUs' default teams, each with its BU's one user
    expect(before).toMatchObject({ teams: 3, defaultTeams: 3, members: 3 });
    const down = await runCli(['migrate', '--down', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(down.code).toBe(1);
    const lines = errorLines(down).filter((l) => l.startsWith('rowscope: '));
    expect(lines).toEqual([
      `rowscope: migrate --down would delete 3 users, 3 business units, 3 teams, 3 team memberships, 4 role assignments, 1 record share, ${before.audit.toLocaleString('en-US')} audit rows (reverting ${init}); back them up, then pass --drop-security-data to revert anyway`,
    ]);
    expect(await counts(db.url)).toEqual(before);
  });

  it('--count reaching the init migration refuses too, and so does a model change dropping a held role', { timeout: 120_000 }, async () => {
    expect((await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: db.url })).code).toBe(0);
    const before = await counts(db.url);
    const down = await runCli(['migrate', '--down', '--count', '2', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(new RegExp(`would delete 3 users, .* \\(reverting ${change}, ${init}\\)`));
    expect(await counts(db.url)).toEqual(before);

    // a model-change down that would drop a role someone now holds refuses as well
    const someone = await withClient(db.url, async (c) => (await c.query<{ id: string }>('select id from rowscope.system_user order by db_role limit 1')).rows[0]!.id);
    await withClient(db.url, (c) => c.query("select rowscope.assign_role($1, 'auditor')", [someone]));
    const held = await runCli(['migrate', '--down', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(held.code).toBe(1);
    expect(errorLines(held)).toEqual([expect.stringMatching(new RegExp(`^rowscope: migrate --down would delete 1 role assignment \\(reverting ${change}\\); `))]);
    await withClient(db.url, (c) => c.query("select rowscope.remove_role($1, 'auditor')", [someone]));

    // back to the init migration alone, through a down that keeps data
    expect((await runCli(['migrate', '--down', '--migrations-dir', migrations], { databaseUrl: db.url })).code).toBe(0);
  });

  it('--drop-security-data reverts the init migration; the application rows stay', async () => {
    const down = await runCli(['migrate', '--down', '--drop-security-data', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(down.code).toBe(0);
    expect(down.stderr).toMatch(/--drop-security-data: reverting \d+_rowscope-init deletes 3 users/);
    expect(down.stdout).toMatch(/^reverted 1 migration/);
    await withClient(db.url, async (c) => {
      expect((await c.query("select to_regclass('rowscope.system_user') as t")).rows[0].t).toBeNull();
      expect((await c.query('select count(*)::int as n from app.account')).rows[0].n).toBe(2);
      expect((await c.query('select count(*)::int as n from public.pgmigrations')).rows[0].n).toBe(0);
    });
    const status = await runCli(['migrate', '--status', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(statusLines(status.stdout)).toEqual([[init, 'pending'], [change, 'pending']]);
  });

  it('checks the migrations folder before anything else, and rejects misplaced flags', async () => {
    const missing = await runCli(['migrate', '--status', '--migrations-dir', join(dir, 'nope')], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(errorLines(missing)).toEqual([`rowscope: no migrations folder ${join(dir, 'nope')}; run \`rowscope generate\` first or pass --migrations-dir`]);
    // no embedded cluster was created for nothing
    expect(existsSync(join(dir, '.rowscope'))).toBe(false);
    const flag = await runCli(['migrate', '--drop-security-data', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(flag.code).toBe(1);
    expect(errorLines(flag)).toEqual(['rowscope: --drop-security-data goes with --down']);
  });
});
