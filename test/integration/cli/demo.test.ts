// rowscope demo against DATABASE_URL (an empty database): applies the committed
// migrations/, seeds Contoso once, and prints what each demo user sees, as
// the database answers it for that user; its "things to try" work; the
// GraphQL server starts without noise and Ctrl-C stops it cleanly.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { pickPort } from '../../../src/db/port.ts';
import type { DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { DEMO_USERS } from '../../../src/demo/organization.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { CLI, runCli, type CliRun } from './run-cli.ts';

let db: TestDatabase;
let first: CliRun;

beforeAll(async () => {
  db = await databaseFor({ template: 'rowscope_empty', build: async () => {} });
  first = await runCli(['demo', '--no-graphql'], { databaseUrl: db.url });
}, 180_000);
afterAll(() => db?.drop());

interface Seen { accounts: number; contacts: number; employees: number; salaries: number }

/** The user table the demo prints: role → its counts. */
function visible(stdout: string): Map<string, Seen> {
  const seen = new Map<string, Seen>();
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length === 9 && /^\d+$/.test(cells[5]!)) {
      const [accounts, contacts, employees, salaries] = cells.slice(5).map(Number) as [number, number, number, number];
      seen.set(cells[0]!, { accounts, contacts, employees, salaries });
    }
  }
  return seen;
}

const column = (seen: Map<string, Seen>, key: keyof Seen) => Object.fromEntries([...seen].map(([role, s]) => [role, s[key]]));

/** Runs one query as a demo user (set_config('role'), like the demo's own counts) and rolls back. */
async function asUser<T>(role: string, text: string): Promise<T[]> {
  return withClient(db.url, async (c) => {
    await c.query('begin');
    try {
      await c.query("select set_config('role', $1, true)", [role]);
      return (await c.query(text)).rows as T[];
    } finally {
      await c.query('rollback');
    }
  });
}

/** The id in a printed `explain --user <user> --table <table> …` line. */
function explainId(stdout: string, user: string, table = 'account'): string {
  const id = new RegExp(`explain --user ${user} --table ${table} --id ([0-9a-f-]{36})`).exec(stdout)?.[1];
  if (!id) throw new Error(`the demo printed no explain line for ${user} on ${table}`);
  return id;
}

type Explained = { access_right: string; granted: boolean; reasons: string[] }[];

describe('rowscope demo', () => {
  it('migrates, seeds and shows each user what the database lets them see', () => {
    expect(first.stderr).toContain('applying 0001_contoso-app-schema');
    expect(first.stderr).toMatch(/seeded: 339 accounts, \d+ contacts, 15 employees/);
    expect(first.code).toBe(0);
    const seen = visible(first.stdout);
    expect([...seen.keys()]).toEqual(DEMO_USERS.map((u) => u.role));
    expect(column(seen, 'accounts')).toEqual({
      irene: 339, // system administrator
      henry: 0, // environment admin: security data only
      grace: 339, // data steward: organization
      hanna: 0, // HR: employees only
      clara: 297, // CEO, root BU: everything 1-3 positions below + the team share
      alice: 317, // sales manager: Sales and below (not Service's 22)
      nadia: 202, // Sales North America holds her 9; her reps' 192 in US East/West via positions; the team share
      bob: 128, // US East: his 70 and carol's 58
      carol: 128,
      dave: 64,
      erin: 63, // her 61, bob's account through the account team, the team share
      hiro: 44, // his 43 and bob's account through the account team
      victor: 26, // VP Service: frank's 22 one position below, the 3 shared with frank, the team share
      frank: 26, // his 22, 3 shared with him, the team share
      judy: 0, // no role: a share with her is no use
    });
    expect(column(seen, 'employees')).toEqual({
      irene: 15, henry: 0, grace: 0, hanna: 15, clara: 13, alice: 7, nadia: 4, bob: 2, carol: 2, dave: 1, erin: 1, hiro: 1,
      victor: 2, frank: 1, judy: 0,
    });
    // Salaries: HR Salary Access (hanna), Manager Salary View (the Department Managers team), System Administrator.
    expect(column(seen, 'salaries')).toEqual({
      irene: 15, henry: 0, grace: 0, hanna: 15, clara: 13, alice: 7, nadia: 4, bob: 0, carol: 0, dave: 0, erin: 1, hiro: 0,
      victor: 2, frank: 1, judy: 0,
    });
    expect(first.stdout).toContain('DATABASE_URL=');
  });

  it('counts what the database answers each user, whichever way they ask', async () => {
    const [bob] = await asUser<{ n: number }>('bob', 'select count(*)::int as n from app.account');
    expect(bob!.n).toBe(128);
    // Field security: bob sees his own employee record, his salary reads NULL;
    // hanna's audited raise is what HR reads.
    expect(await asUser('bob', 'select name, annual_income from api.employee order by name')).toEqual([
      { name: 'Bob Smith', annual_income: null }, { name: 'Carol Diaz', annual_income: null },
    ]);
    expect(await asUser('hanna', "select annual_income from api.employee where email = 'bob@contoso.example'")).toEqual([{ annual_income: '100000.00' }]);
  });

  it('prints things to try that work: hierarchy, field security, access team, default team, reparent, why not, audit', async () => {
    const victor = await runCli(['as', 'victor', '--', 'select count(*) from api.account'], { databaseUrl: db.url });
    expect(first.stdout).toContain('as victor -- "select name, city from api.account"');
    expect(victor.stdout).toMatch(/\b26\b/);

    const hiro = await runCli(['explain', '--user', 'hiro', '--table', 'account', '--id', explainId(first.stdout, 'hiro'), '--json'], { databaseUrl: db.url });
    const rights = (JSON.parse(hiro.stdout) as { rights: { access_right: string; granted: boolean; reasons: string[] }[] }).rights;
    expect(rights.filter((r) => r.granted).map((r) => r.access_right).sort()).toEqual(['append', 'read', 'write']);
    expect(rights.find((r) => r.access_right === 'read')!.reasons.join(' ')).toContain('account_team');

    const judy = await runCli(['explain', '--user', 'judy', '--table', 'account', '--id', explainId(first.stdout, 'judy')], { databaseUrl: db.url });
    expect(judy.code).toBe(0);
    expect(judy.stdout).not.toContain('granted');
    expect(judy.stdout).toMatch(/read\s+no role grants read on account/);
    expect(judy.stdout).toContain('shared with judy (read)');

    // The default team of Service Tier 1 holds employee_base; frank, its only user, holds it directly too.
    const frank = await runCli(['explain', '--user', 'frank', '--table', 'account', '--id', explainId(first.stdout, 'frank'), '--json'], { databaseUrl: db.url });
    expect(frank.code).toBe(0);
    const frankRead = (JSON.parse(frank.stdout) as { rights: Explained }).rights.find((r) => r.access_right === 'read')!;
    expect(frankRead.granted).toBe(true);
    expect(frankRead.reasons).toEqual([
      'role employee_base (business_unit depth, BU Service Tier 1 through team Service Tier 1) covers owning BU Service Tier 1',
      'role employee_base (business_unit depth, BU Service Tier 1) covers owning BU Service Tier 1',
    ]);
    expect(first.stdout).toContain(`explain --user frank --table account --id ${explainId(first.stdout, 'frank')}`);

    // Reparent inheritance: hiro's contact under dave's account; dave reads it only as the parent's owner.
    const contactId = explainId(first.stdout, 'dave', 'contact');
    const [contact] = await withClient(db.url, async (c) => (await c.query<{ owner: string; account_owner: string; account_id: string }>(
      `select o.db_role as owner, ao.db_role as account_owner, a.id::text as account_id
       from app.contact k join app.account a on a.id = k.account_id
       join rowscope.system_user o on o.id = k.owner_id join rowscope.system_user ao on ao.id = a.owner_id
       where k.id = $1`, [contactId])).rows);
    expect(contact).toMatchObject({ owner: 'hiro', account_owner: 'dave' });
    const dave = await runCli(['explain', '--user', 'dave', '--table', 'contact', '--id', contactId], { databaseUrl: db.url });
    expect(dave.code).toBe(0);
    expect(dave.stdout).toMatch(new RegExp(`read\\s+owner of parent account ${contact!.account_id} \\(account_id\\)\n`));
    expect(await asUser('dave', `select count(*)::int as n from api.contact where id = '${contactId}'`)).toEqual([{ n: 1 }]);
    // The same contact under an account of hiro's own: dave loses it (no role, share or hierarchy reaches hiro's).
    const withoutParent = await withClient(db.url, async (c) => {
      await c.query('begin');
      try {
        await c.query("update app.contact set account_id = (select id from app.account where owner_id = (select id from rowscope.system_user where db_role = 'hiro') limit 1) where id = $1", [contactId]);
        await c.query("select set_config('role', 'dave', true)");
        return (await c.query<{ n: number }>('select count(*)::int as n from api.contact where id = $1', [contactId])).rows[0]!.n;
      } finally {
        await c.query('rollback');
      }
    });
    expect(withoutParent).toBe(0);

    // Audit: the changes the seed made as bob and hiro, read by the data steward (view_audit_history).
    const updates = await asUser<{ db_role: string; changes: Record<string, unknown> }>('grace',
      "select db_role, changes from api.audit_log where table_name = 'account' and action = 'update' order by id");
    expect(updates.map((u) => [u.db_role, Object.keys(u.changes).sort()])).toEqual([
      ['bob', ['annual_revenue', 'credit_limit']], ['hiro', ['phone']],
    ]);
    expect(first.stdout).toContain("as grace -- \"select at, db_role, action, changes from api.audit_log where action = 'update'\"");
    // bob reads no history at all (no view_audit_history).
    expect(await asUser('bob', 'select count(*)::int as n from api.audit_log')).toEqual([{ n: 0 }]);
    // auditLogins: the login event trigger where PostgreSQL has login events (17+).
    const [trigger] = await withClient(db.url, async (c) => (await c.query<{ v: number; n: number }>(
      "select current_setting('server_version_num')::int as v, (select count(*)::int from pg_event_trigger where evtname = 'rowscope_audit_login') as n")).rows);
    expect(trigger!.n).toBe(trigger!.v >= 170000 ? 1 : 0);
  });

  it('seeds only once, and the seeded database passes doctor', { timeout: 120_000 }, async () => {
    const again = await runCli(['demo', '--no-graphql'], { databaseUrl: db.url });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to migrate');
    expect(again.stderr).toContain('Contoso is seeded already');
    expect(visible(again.stdout).get('alice')).toEqual({ accounts: 317, contacts: expect.any(Number), employees: 7, salaries: 7 });
    // The ids printed on the second run are the same records.
    expect(explainId(again.stdout, 'hiro')).toBe(explainId(first.stdout, 'hiro'));

    // pin the server version past every known RLS CVE: the embedded 18.4 gets a (mitigated) CVE warning
    const doctor = await runCli(['doctor', '--json'], { databaseUrl: db.url, env: { ROWSCOPE_DOCTOR_SERVER_VERSION_NUM: '990000' } });
    const report = JSON.parse(doctor.stdout) as DoctorReport;
    // Roles are cluster-wide: another test file may be breaking one of its own users for a moment.
    const demoRoles = new Set(DEMO_USERS.map((u) => `role ${u.role}`));
    const ours = report.findings.filter((f) => !f.object.startsWith('role ') || demoRoles.has(f.object));
    expect(ours).toEqual([]);
  });

  it('starts the GraphQL server without noise, answers per token, and stops on Ctrl-C', { timeout: 120_000 }, async () => {
    const port = await pickPort();
    const child = spawn(process.execPath, [CLI, 'demo', '--port', String(port)], {
      env: { ...process.env, DATABASE_URL: db.url, ROWSCOPE_JWT_SECRET: 'demo-test-secret-0123456789abcdef', ROWSCOPE_DEBUG: undefined } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      for (let i = 0; i < 600 && !stdout.includes('Ctrl-C stops everything') && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
      expect(stdout).toContain('Ctrl-C stops everything');
      const token = /^ {2}nadia +Authorization: Bearer (\S+)$/m.exec(stdout)?.[1];
      expect(token).toBeDefined();
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ allAccounts { totalCount } allEmployees { nodes { annualIncome } } }' }),
      });
      const body = (await response.json()) as { data: { allAccounts: { totalCount: number }; allEmployees: { nodes: { annualIncome: string | null }[] } } };
      expect(body.data.allAccounts.totalCount).toBe(202);
      expect(body.data.allEmployees.nodes.filter((n) => n.annualIncome !== null)).toHaveLength(4);
    } finally {
      child.kill('SIGINT');
    }
    expect(await closed).toBe(0);
    // Progress lines only: no PostGraphile codec dump, no warnings, no lost connections.
    const noise = stderr.split('\n').filter((l) => l.trim() !== '' && !/^(creating|migrating|nothing to migrate|Contoso is seeded already|starting the GraphQL server|stopping)\b/.test(l));
    expect(noise).toEqual([]);
  });

  it('refuses --reset with DATABASE_URL in one line', async () => {
    const run = await runCli(['demo', '--reset', '--no-graphql'], { databaseUrl: db.url });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'rowscope: --reset rebuilds the embedded PostgreSQL only; with DATABASE_URL set, drop and create that database yourself',
    ]);
  });
});
