// rowscope as ROLE -- "SQL" through the real CLI: the statement runs with the
// user's role, so they see only their rows, printed like psql; refusals and bad
// input are one line each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import { errorLines, hasStackTrace, runCli } from './run-cli.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('seller', 'sales', ['salesperson']);
  await org.createUser('colleague', 'sales', ['salesperson']);
  await org.createUser('outsider', 'service', ['salesperson']);
  await org.createUser('mine_only', 'sales', ['reader_user']);
  await org.record('account', 'Alpha', 'seller');
  await org.record('account', 'Beta', 'colleague');
  await org.record('account', 'Gamma', 'outsider');
  await org.record('account', 'Delta', 'mine_only');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const as = (persona: string, sql: string) => runCli(['as', org.role(persona), '--', sql], { databaseUrl: db.url });

describe('rowscope as', () => {
  it('shows a user exactly the rows they may read, as a psql-style table', async () => {
    const run = await as('seller', 'select name from api.account order by name');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([' name', '-------', ' Alpha', ' Beta', ' Delta', '(3 rows)', ''].join('\n'));
    expect(await org.visible('seller', 'account')).toEqual(['Alpha', 'Beta', 'Delta']);

    const mine = await as('mine_only', 'select name, 42 as answer from api.account');
    expect(mine.stdout).toBe([' name  | answer', '-------+--------', ' Delta |     42', '(1 row)', ''].join('\n'));
  });

  it('runs as the user, not as the caller', async () => {
    const who = await as('outsider', 'select current_user as who, rowscope.whoami() = $$' + org.id('outsider') + '$$::uuid as me');
    expect(who.code).toBe(0);
    expect(who.stdout).toContain(` ${org.role('outsider')} | t`);
  });

  it('accepts the statement unquoted after -- and from stdin', async () => {
    const words = await runCli(['as', org.role('outsider'), '--', 'select', 'count(*)', 'from', 'api.account'], { databaseUrl: db.url });
    expect(words.stdout).toBe([' count', '-------', '     1', '(1 row)', ''].join('\n'));
    const piped = await runCli(['as', org.role('outsider')], { databaseUrl: db.url, input: 'select count(*) from app.account' });
    expect(piped.stdout).toBe(words.stdout);
  });

  it('prints the command tag of a write, and a refusal in one line with exit 1', async () => {
    const ok = await as('seller', "update api.account set revenue = 10 where name = 'Alpha'");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('UPDATE 1\n');
    const refused = await as('seller', "update api.account set revenue = 10 where name = 'Beta'");
    expect(refused.code).toBe(1);
    const lines = errorLines(refused);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rowscope: .*lacks write on account .*\[SQLSTATE 42501\]$/);
    expect(hasStackTrace(refused.stderr)).toBe(false);
  });

  it('refuses an unknown role, a second statement and an empty statement in one line each', async () => {
    const unknown = await runCli(['as', 'no_such_role_here', '--', 'select 1'], { databaseUrl: db.url });
    expect(unknown.code).toBe(1);
    expect(errorLines(unknown)).toHaveLength(1);
    expect(unknown.stderr).toMatch(/^rowscope: no database role "no_such_role_here"; the rowscope users are: /);

    const two = await as('seller', 'select 1; select 2');
    expect(two.code).toBe(1);
    expect(errorLines(two)).toEqual(['rowscope: rowscope as runs one statement at a time; run each statement separately']);

    const empty = await runCli(['as', org.role('seller')], { databaseUrl: db.url });
    expect(empty.code).toBe(1);
    expect(errorLines(empty)).toHaveLength(1);
  });
});
