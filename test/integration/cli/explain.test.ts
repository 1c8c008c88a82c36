// rowscope explain --user ROLE --table T --id ID through the real CLI:
// granted rights first with their paths, then denials with reasons and fixes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import { errorLines, hasStackTrace, runCli } from './run-cli.ts';

let db: TestDatabase;
let org: Org;
let id: string;

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('seller', 'sales', ['salesperson']);
  await org.createUser('colleague', 'sales', ['salesperson']);
  id = await org.record('account', 'Alpha', 'seller');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('rowscope explain', () => {
  it('prints granted rights with their paths, then denials with reasons and a fix', async () => {
    const run = await runCli(['explain', '--user', org.role('colleague'), '--table', 'account', '--id', id], { databaseUrl: db.url });
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text.indexOf('granted')).toBeLessThan(text.indexOf('denied'));
    expect(text).toMatch(/read +role salesperson \(business_unit depth, BU .*sales\) covers owning BU .*sales/);
    expect(text).toMatch(/write +role salesperson gives write at user depth; the record is owned by .*seller in BU .*sales/);
    expect(text).toMatch(/fix: share the record with .*colleague \(write\) \(rowscope\.grant_access\)/);
    expect(text).toMatch(/read field credit_limit/);
  });

  it('--json gives the rows of explain_access', async () => {
    const run = await runCli(['explain', '--user', org.role('seller'), '--table', 'account', '--id', id, '--json'], { databaseUrl: db.url });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.rights.find((r: { access_right: string }) => r.access_right === 'delete').granted).toBe(true);
  });

  it('an unknown user or record is one line, no stack trace', async () => {
    const run = await runCli(['explain', '--user', 'nobody_here', '--table', 'account', '--id', id], { databaseUrl: db.url });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(hasStackTrace(run.stderr)).toBe(false);
    const missing = await runCli(['explain', '--user', org.role('seller'), '--table', 'account', '--id', '00000000-0000-0000-0000-000000000000'], { databaseUrl: db.url });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such record');
  });
});
