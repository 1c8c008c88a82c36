// rowscope sql, audit verify / purge, schema --graphql, and `as` pointing the
// deployment administrator to `sql`; every command answers --help.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import { errorLines, hasStackTrace, runCli } from './run-cli.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('basic');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('seller', 'root', ['salesperson']);
  await org.record('account', 'Fabrikam', 'seller');
  await org.record('account', 'Contoso', 'seller');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('rowscope sql', () => {
  it('runs statements as the deployment administrator and prints each result like psql', async () => {
    const run = await runCli(['sql', '--', `select name from app.account order by name; select current_user = 'postgres' as admin, count(*) from rowscope.system_user`], { databaseUrl: db.url });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      '   name',
      '----------',
      ' Contoso',
      ' Fabrikam',
      '(2 rows)',
      '',
      ' admin | count',
      '-------+-------',
      ' t     |     1',
      '(1 row)',
      '',
    ].join('\n'));
  });

  it('reads the SQL from stdin, runs it all-or-nothing and fails in one line', async () => {
    const piped = await runCli(['sql'], { databaseUrl: db.url, input: "insert into app.product (name) values ('Widget')" });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toBe('INSERT 0 1\n');
    const failed = await runCli(['sql', '--', "insert into app.product (name) values ('Gadget'); select 1/0"], { databaseUrl: db.url });
    expect(failed.code).toBe(1);
    expect(errorLines(failed)).toEqual(['rowscope: division by zero [SQLSTATE 22012]']);
    expect(hasStackTrace(failed.stderr)).toBe(false);
    await withClient(db.url, async (c) => {
      expect((await c.query('select name from app.product order by name')).rows).toEqual([{ name: 'Widget' }]);
    });
  });

  it('`rowscope as` sends the deployment administrator to `rowscope sql`', async () => {
    const run = await runCli(['as', 'postgres', '--', 'select 1'], { databaseUrl: db.url });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual(['rowscope: postgres bypasses row-level security, so it shows no user\'s view; to run SQL as the deployment administrator use `rowscope sql -- "..."`']);
  });
});

describe('rowscope audit', () => {
  it('verify reports an intact chain, purge trims it and it stays intact, tampering exits 1', async () => {
    const intact = await runCli(['audit', 'verify'], { databaseUrl: db.url });
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    const rows = await withClient(db.url, async (c) => Number((await c.query('select count(*) as n from rowscope.audit_log')).rows[0].n));
    expect(rows).toBeGreaterThan(0);
    expect(intact.stdout).toBe(`audit chain intact: ${rows} rows verified\n`);

    const none = await runCli(['audit', 'purge', '--before', '2000-01-01'], { databaseUrl: db.url });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^purged 0 audit rows logged before 2000-01-01 00:00:00/);
    const all = await runCli(['audit', 'purge'], { databaseUrl: db.url });
    expect(all.code).toBe(0);
    // every row so far, plus the record of the first purge
    expect(all.stdout).toMatch(new RegExp(`^purged ${rows + 1} audit rows logged before \\d{4}-`));
    expect((await runCli(['audit', 'verify'], { databaseUrl: db.url })).code).toBe(0);

    await org.record('account', 'Tailspin', 'seller');
    await withClient(db.url, (c) => c.query("update rowscope.audit_log set changes = '{}' where id = (select max(id) from rowscope.audit_log)"));
    const broken = await runCli(['audit', 'verify'], { databaseUrl: db.url });
    expect(broken.code).toBe(1);
    expect(errorLines(broken)).toEqual([expect.stringMatching(/^rowscope: audit row \d+: .*does not match its hash/)]);
  });

  it('rejects a bad --before in one line', async () => {
    const run = await runCli(['audit', 'purge', '--before', 'last tuesday'], { databaseUrl: db.url });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([expect.stringMatching(/^rowscope: option '--before <timestamp>' argument 'last tuesday' is invalid\. expected a timestamp/)]);
  });
});

describe('rowscope schema --graphql', () => {
  it('prints the SDL the server exposes', { timeout: 120_000 }, async () => {
    const run = await runCli(['schema', '--graphql'], { databaseUrl: db.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^type Query implements Node \{/m);
    expect(run.stdout).toMatch(/^ {2}allAccounts\(/m);
    expect(run.stdout).toMatch(/^type Account implements Node \{/m);
    expect(run.stdout).not.toMatch(/allSystemUsers.*\n.*password/);
    const bare = await runCli(['schema'], { databaseUrl: db.url });
    expect(bare.code).toBe(1);
    expect(errorLines(bare)).toEqual(['rowscope: say which schema: --graphql']);
  });
});

describe('--help', () => {
  it('every command and subcommand answers --help with its usage', { timeout: 180_000 }, async () => {
    const commands = ['init', 'check', 'generate', 'migrate', 'doctor', 'explain', 'as', 'sql', 'audit', 'audit verify', 'audit purge', 'demo', 'serve', 'schema', 'bench'];
    // three at a time: each is a Node start on a shared machine
    const runs = new Map<string, Awaited<ReturnType<typeof runCli>>>();
    for (let i = 0; i < commands.length; i += 3) {
      await Promise.all(commands.slice(i, i + 3).map(async (command) => runs.set(command, await runCli([...command.split(' '), '--help']))));
    }
    for (const command of commands) {
      expect(runs.get(command)!.code, command).toBe(0);
      expect(runs.get(command)!.stdout, command).toMatch(new RegExp(`^Usage: rowscope ${command} `));
    }
  });
});
