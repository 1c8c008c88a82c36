// rowscope doctor through the real CLI: a freshly secured database with users
// passes every check; each rule broken on purpose is reported by name, with the
// offending object and a remedy, and makes the command exit 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import type { DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { errorLines, runCli } from './run-cli.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('seller', 'sales', ['salesperson']);
  await org.createUser('reader', 'root', ['reader_org']);
  await org.createUser('nobody', 'sales');
  await org.record('account', 'Alpha', 'seller');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const doctor = async () => {
  const run = await runCli(['doctor', '--json'], { databaseUrl: db.url });
  return { run, report: JSON.parse(run.stdout) as DoctorReport };
};

/** Breaks a rule, checks doctor names it, and puts things back. */
async function expectFinding(breakIt: string, repair: string, lint: string, object: string, remedy: RegExp) {
  await org.admin(breakIt);
  try {
    const { run, report } = await doctor();
    expect(run.code).toBe(1);
    expect(report.ok).toBe(false);
    const finding = report.findings.find((f) => f.lint === lint);
    expect(finding, `${lint} in ${JSON.stringify(report.findings)}`).toBeDefined();
    expect(finding!.level).toBe('error');
    expect(finding!.object).toBe(object);
    expect(finding!.remedy).toMatch(remedy);
  } finally {
    await org.admin(repair);
  }
}

describe('rowscope doctor', () => {
  it('passes a freshly secured database', async () => {
    const text = await runCli(['doctor'], { databaseUrl: db.url });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ok: all \d+ checks passed\n$/);
    const { run, report } = await doctor();
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ ok: true, errors: 0, warnings: 0, findings: [] });
    expect(report.checks.map((c) => c.name)).toEqual(expect.arrayContaining([
      'rls_disabled', 'rls_not_forced', 'user_role_superuser', 'user_role_bypassrls', 'user_dangerous_privilege',
      'user_owns_object', 'user_secured_column_privilege', 'definer_search_path', 'definer_public_execute',
      'api_view_missing', 'user_class_membership',
    ]));
  });

  it('finds a model table whose RLS is not forced', async () => {
    await expectFinding('alter table app.account no force row level security', 'alter table app.account force row level security',
      'rls_not_forced', 'app.account', /force row level security/);
  });

  it('finds a model table whose RLS is off', async () => {
    await expectFinding('alter table app.contact disable row level security', 'alter table app.contact enable row level security',
      'rls_disabled', 'app.contact', /enable row level security/);
  });

  it('finds TRUNCATE granted to a user, naming the table and the grantee', async () => {
    const role = org.role('seller');
    await expectFinding(`grant truncate on app.account to ${role}`, `revoke truncate on app.account from ${role}`,
      'user_dangerous_privilege', 'app.account', new RegExp(`^revoke truncate on app\\.account from ${role}$`));
  });

  it('finds TRIGGER granted to rowscope_user (every user holds it then)', async () => {
    await expectFinding('grant trigger on app.product to rowscope_user', 'revoke trigger on app.product from rowscope_user',
      'user_dangerous_privilege', 'app.product', /^revoke trigger on app\.product from rowscope_user$/);
  });

  it('finds a privilege on a secured column', async () => {
    const role = org.role('reader');
    await expectFinding(`grant select (credit_limit) on app.account to ${role}`, `revoke select (credit_limit) on app.account from ${role}`,
      'user_secured_column_privilege', 'app.account.credit_limit', /^revoke select \(credit_limit\) on app\.account from /);
    await expectFinding('grant select on app.account to public', 'revoke select on app.account from public',
      'user_secured_column_privilege', 'app.account.credit_limit', /^revoke select on app\.account from public/);
  });

  it('finds a user role with BYPASSRLS or SUPERUSER', async () => {
    const role = org.role('nobody');
    await expectFinding(`alter role ${role} bypassrls`, `alter role ${role} nobypassrls`, 'user_role_bypassrls', `role ${role}`, /nobypassrls/);
    await expectFinding(`alter role ${role} superuser`, `alter role ${role} nosuperuser`, 'user_role_superuser', `role ${role}`, /nosuperuser/);
  });

  it('finds a table owned by a user role', async () => {
    const role = org.role('seller');
    await expectFinding(`create table app.scratch (id int); alter table app.scratch owner to ${role}`, 'drop table app.scratch',
      'user_owns_object', 'table app.scratch', /^alter table app\.scratch owner to rowscope_owner$/);
  });

  it('finds a security-definer function that PUBLIC may run or that does not pin search_path', async () => {
    await expectFinding('create function rowscope.oops() returns int language sql security definer as $$ select 1 $$',
      'drop function rowscope.oops()', 'definer_public_execute', 'function rowscope.oops()', /^revoke execute on function rowscope\.oops\(\) from public$/);
    await expectFinding('create function rowscope.oops() returns int language sql security definer as $$ select 1 $$',
      'drop function rowscope.oops()', 'definer_search_path', 'function rowscope.oops()', /set search_path = pg_catalog, pg_temp/);
  });

  it('finds a missing api view', async () => {
    await expectFinding('drop view api.product', "select rowscope._build_api_view('app', 'product', 'api', '{}')",
      'api_view_missing', 'api.product', /rowscope\._build_api_view\('app', 'product', 'api', '\{\}'\)/);
  });

  it('finds a user in two access classes of a table, or in the wrong one', async () => {
    const role = org.role('seller');
    // granted by someone else than the definer: only that grantor's revoke removes it (PostgreSQL 16+)
    await expectFinding(`grant rowscope_account_read_org to ${role}`, `revoke rowscope_account_read_org from ${role}`,
      'user_class_membership', `user ${role} on account`,
      new RegExp(`^revoke rowscope_account_read_org from ${role}( granted by \\w+)?; select rowscope\\._refresh_user_classes\\('${org.id('seller')}'\\)$`));
    // The membership was granted by the definer; only a revoke as the definer removes it (PostgreSQL 16+).
    await expectFinding(`set role rowscope_definer; revoke rowscope_account_read_bu from ${role}; reset role`,
      `select rowscope._refresh_user_classes('${org.id('seller')}')`, 'user_class_membership', `user ${role} on account`, /_refresh_user_classes/);
  });

  it('prints findings for people: level, lint, object, message and fix', async () => {
    await org.admin('alter table app.account no force row level security');
    try {
      const run = await runCli(['doctor'], { databaseUrl: db.url });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('error rls_not_forced: app.account\n');
      expect(run.stdout).toContain('      fix: alter table app.account force row level security\n');
      expect(run.stdout).toMatch(/1 error, 0 warnings; \d+ of \d+ checks passed\n$/);
    } finally {
      await org.admin('alter table app.account force row level security');
    }
    const { report } = await doctor();
    expect(report.ok).toBe(true);
  });

  it('refuses a database without rowscope in one line', async () => {
    const run = await runCli(['doctor'], { databaseUrl: db.adminUrl });
    expect(run.code).toBe(1);
    expect(errorLines(run).filter((l) => l.startsWith('rowscope: '))).toEqual(['rowscope: this database has no rowscope schema; run `rowscope migrate` first']);
  });
});
