// rowscope doctor: a freshly secured database with users passes every check;
// each rule broken on purpose is reported by name, with the offending object and
// a remedy, and fails the report (an error) or not (a warning). The findings are
// read in this process (doctor-report.ts); the real CLI's text, JSON and exit
// codes (1 on an error, 0 on a warning alone) are checked through the command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabaseWithOwnRoles } from '../../support/secured.ts';
import type { Finding, Level } from '../../../src/cli/doctor/lints.ts';
import { errorLines, runCli, clusterLock } from './run-cli.ts';
import { doctorCliReport, doctorReport } from './doctor-report.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabaseWithOwnRoles();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('seller', 'sales', ['salesperson']);
  await org.createUser('reader', 'root', ['reader_org']);
  await org.createUser('nobody', 'sales');
  await org.createUser('leaver', 'sales', ['salesperson']);
  await org.admin('select rowscope.disable_user($1)', [org.id('leaver')]);
  await org.record('account', 'Alpha', 'seller');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

// The CVE lints judge the server's minor version; these tests are about the
// other rules, so they present a PostgreSQL newer than every known fix
// (doctor-catalog.test.ts checks the CVE lints themselves).
const PATCHED = { ROWSCOPE_DOCTOR_SERVER_VERSION_NUM: '990000' };

/** The report in this process (doctor-report.ts); the CLI's JSON and exit codes are checked below. */
const doctor = async () => ({ report: await doctorReport(db.url, PATCHED.ROWSCOPE_DOCTOR_SERVER_VERSION_NUM) });

/** The real command's JSON report and exit code. */
const doctorCli = () => doctorCliReport(db.url, PATCHED.ROWSCOPE_DOCTOR_SERVER_VERSION_NUM);

// Roles are cluster-wide: other test files break their own users for a moment.
const ours = (findings: Finding[]) => findings.filter((f) => !f.object.startsWith('role ') || f.object.startsWith(`role ${org.tag}_`));

interface Expected { lint: string; object: string; remedy: RegExp; level?: Level }

/** Breaking and repairing hold the cluster lock exclusively (see clusterLock). */
function expectFinding(breakIt: string, repair: string, expected: Expected, fixWithRemedy = false) {
  return clusterLock('exclusive', () => expectFindingUnlocked(breakIt, repair, expected, fixWithRemedy));
}

/**
 * Breaks a rule, checks doctor names it, and puts things back: with the
 * finding's own remedy when `fixWithRemedy` (proving the remedy works), else
 * with `repair`. Afterwards the lint passes again for that object, and nothing
 * else of this database is left broken.
 */
async function expectFindingUnlocked(breakIt: string, repair: string, expected: Expected, fixWithRemedy = false) {
  const level = expected.level ?? 'error';
  await org.admin(breakIt);
  let fixed = false;
  try {
    const { report } = await doctor();
    const finding = report.findings.find((f) => f.lint === expected.lint && f.object === expected.object);
    expect(finding, `${expected.lint} on ${expected.object} in ${JSON.stringify(report.findings)}`).toBeDefined();
    expect(finding!.level).toBe(level);
    expect(finding!.remedy).toMatch(expected.remedy);
    // errors make the report fail (and the command exit 1: 'prints findings
    // for people'); a warning alone does not (checked when no other file's
    // user role shows: they are cluster-wide)
    if (level === 'error' || ours(report.findings).length === report.findings.length) {
      expect(report.ok).toBe(level !== 'error');
    }
    if (fixWithRemedy) {
      await org.admin(finding!.remedy);
      fixed = true;
    }
  } finally {
    if (!fixed) await org.admin(repair);
  }
  const { report } = await doctor();
  expect(report.findings.filter((f) => f.lint === expected.lint && f.object === expected.object)).toEqual([]);
  expect(ours(report.findings)).toEqual([]);
}

describe('rowscope doctor', () => {
  it('passes a freshly secured database', async () => {
    const text = await clusterLock('shared', () => runCli(['doctor'], { databaseUrl: db.url, env: PATCHED }));
    const { run, report } = await doctorCli();
    expect(ours(report.findings)).toEqual([]);
    // Findings on other test files' user roles (cluster-wide) can show in a
    // full run; the exact clean output is checked whenever there are none.
    if (report.findings.length === 0) {
      expect(run.code).toBe(0);
      expect(report).toMatchObject({ ok: true, errors: 0, warnings: 0, findings: [] });
    }
    if (!/^error .*: role /m.test(text.stdout)) {
      expect(text.code, text.stdout).toBe(0);
      expect(text.stdout).toMatch(/^ok: all \d+ checks passed\n$/);
    }
    expect(report.checks.map((c) => c.name)).toEqual(expect.arrayContaining([
      'model_table_missing', 'rls_disabled', 'rls_not_forced', 'api_view_missing', 'api_view_not_invoker',
      'policy_column_not_indexed', 'user_role_superuser', 'user_role_bypassrls', 'user_login_missing', 'disabled_user_can_login',
      'user_dangerous_privilege', 'user_owns_object', 'user_secured_column_privilege', 'definer_search_path', 'definer_public_execute',
      'user_class_membership', 'authenticator_inherit', 'authenticator_superuser', 'authenticator_bypassrls',
      'authenticator_data_privilege', 'closure_out_of_step', 'postgres_cve_2024_10976', 'postgres_cve_2026_14666',
    ]));
    expect(report.checks.every((c) => c.passed)).toBe(true);
  });

  it('finds a model table that is gone', async () => {
    await expectFinding('alter table app.product rename to product_gone', 'alter table app.product_gone rename to product',
      { lint: 'model_table_missing', object: 'app.product', remedy: /remove it from the model/ });
  });

  it('finds a model table whose RLS is not forced', async () => {
    await expectFinding('alter table app.account no force row level security', 'alter table app.account force row level security',
      { lint: 'rls_not_forced', object: 'app.account', remedy: /^alter table app\.account force row level security$/ }, true);
  });

  it('finds a model table whose RLS is off', async () => {
    await expectFinding('alter table app.contact disable row level security', 'alter table app.contact enable row level security',
      { lint: 'rls_disabled', object: 'app.contact', remedy: /^alter table app\.contact enable row level security, force row level security$/ }, true);
  });

  it('finds TRUNCATE granted to a user, naming the table and the grantee', async () => {
    const role = org.role('seller');
    await expectFinding(`grant truncate on app.account to ${role}`, `revoke truncate on app.account from ${role}`,
      { lint: 'user_dangerous_privilege', object: 'app.account', remedy: new RegExp(`^revoke truncate on app\\.account from ${role}$`) }, true);
  });

  it('finds TRIGGER granted to rowscope_user (every user holds it then)', async () => {
    await expectFinding('grant trigger on app.product to rowscope_user', 'revoke trigger on app.product from rowscope_user',
      { lint: 'user_dangerous_privilege', object: 'app.product', remedy: /^revoke trigger on app\.product from rowscope_user$/ }, true);
  });

  it('finds a privilege on a secured column', async () => {
    const role = org.role('reader');
    await expectFinding(`grant select (credit_limit) on app.account to ${role}`, `revoke select (credit_limit) on app.account from ${role}`,
      { lint: 'user_secured_column_privilege', object: 'app.account.credit_limit', remedy: /^revoke select \(credit_limit\) on app\.account from / }, true);
    await expectFinding('grant select on app.account to public', 'revoke select on app.account from public',
      { lint: 'user_secured_column_privilege', object: 'app.account.credit_limit', remedy: /^revoke select on app\.account from public/ });
  });

  it('finds a user role with BYPASSRLS or SUPERUSER', async () => {
    const role = org.role('nobody');
    await expectFinding(`alter role ${role} bypassrls`, `alter role ${role} nobypassrls`,
      { lint: 'user_role_bypassrls', object: `role ${role}`, remedy: /nobypassrls/ }, true);
    await expectFinding(`alter role ${role} superuser`, `alter role ${role} nosuperuser`,
      { lint: 'user_role_superuser', object: `role ${role}`, remedy: /nosuperuser/ }, true);
  });

  it('finds a rowscope user without its database role', async () => {
    const role = org.role('nobody');
    await expectFinding(`alter role ${role} rename to ${role}_gone`, `alter role ${role}_gone rename to ${role}`,
      { lint: 'user_login_missing', object: `user ${role}`, remedy: new RegExp(`^create role ${role} login; grant rowscope_user to ${role}; `) });
  });

  it('finds a disabled user whose role can log in', async () => {
    const role = org.role('leaver');
    await expectFinding(`alter role ${role} login`, `alter role ${role} nologin`,
      { lint: 'disabled_user_can_login', object: `role ${role}`, remedy: new RegExp(`^alter role ${role} nologin$`) }, true);
  });

  it('finds a table, an api view or a rowscope function owned by a user role', async () => {
    const role = org.role('seller');
    await expectFinding(`create table app.scratch (id int); alter table app.scratch owner to ${role}`, 'drop table app.scratch',
      { lint: 'user_owns_object', object: 'table app.scratch', remedy: /^alter table app\.scratch owner to rowscope_owner$/ });
    await expectFinding(`alter view api.product owner to ${role}`, 'alter view api.product owner to rowscope_owner',
      { lint: 'user_owns_object', object: 'view api.product', remedy: /^alter view api\.product owner to rowscope_owner$/ }, true);
    await expectFinding(`alter function rowscope.whoami() owner to ${role}`, 'alter function rowscope.whoami() owner to rowscope_definer',
      { lint: 'user_owns_object', object: 'function rowscope.whoami()', remedy: /^alter function rowscope\.whoami\(\) owner to rowscope_definer$/ }, true);
  });

  it('finds a security-definer function that PUBLIC may run or that does not pin search_path', async () => {
    await expectFinding('create function rowscope.oops() returns int language sql security definer as $$ select 1 $$',
      'drop function rowscope.oops()',
      { lint: 'definer_public_execute', object: 'function rowscope.oops()', remedy: /^revoke execute on function rowscope\.oops\(\) from public$/ });
    await expectFinding('create function rowscope.oops() returns int language sql security definer as $$ select 1 $$',
      'drop function rowscope.oops()',
      { lint: 'definer_search_path', object: 'function rowscope.oops()', remedy: /set search_path = pg_catalog, pg_temp/ });
  });

  it('finds a missing api view', async () => {
    await expectFinding('drop view api.product', "select rowscope._build_api_view('app', 'product', 'api', '{}')",
      { lint: 'api_view_missing', object: 'api.product', remedy: /rowscope\._build_api_view\('app', 'product', 'api', '\{\}'\)/ }, true);
  });

  it('warns about an api view that is not security_invoker, and still exits 0', async () => {
    await expectFinding('alter view api.product set (security_invoker = false)', 'alter view api.product set (security_invoker = true)',
      { lint: 'api_view_not_invoker', object: 'api.product', remedy: /^alter view api\.product set \(security_invoker = true\)$/, level: 'warn' }, true);
    // the real command with only that warning: it exits 0
    await clusterLock('exclusive', async () => {
      await org.admin('alter view api.product set (security_invoker = false)');
      try {
        const { run, report } = await doctorCli();
        expect(report.findings.map((f) => f.lint)).toContain('api_view_not_invoker');
        if (ours(report.findings).length === report.findings.length) {
          expect(run.code).toBe(0);
          expect(report).toMatchObject({ ok: true, errors: 0, warnings: 1 });
        }
      } finally {
        await org.admin('alter view api.product set (security_invoker = true)');
      }
    });
    // any spelling of true counts
    await org.admin('alter view api.product set (security_invoker = yes)');
    expect(await org.admin("select reloptions::text[] as o from pg_class where oid = 'api.product'::regclass"))
      .toEqual([{ o: expect.arrayContaining(['security_invoker=yes']) }]);
    const { report } = await doctor();
    expect(report.checks.find((c) => c.name === 'api_view_not_invoker')?.passed).toBe(true);
    await org.admin('alter view api.product set (security_invoker = true)');
  });

  it('finds a user in two access classes of a table, or in the wrong one', async () => {
    const role = org.role('seller');
    // granted by someone else than the definer: only that grantor's revoke removes it (PostgreSQL 16+)
    const [{ org: orgClass, bu: buClass }] = await org.admin(`select rowscope._table_role('account', 'org') as org, rowscope._table_role('account', 'bu') as bu`);
    await expectFinding(`grant ${orgClass} to ${role}`, `revoke ${orgClass} from ${role}`, {
      lint: 'user_class_membership', object: `user ${role} on account`,
      remedy: new RegExp(`^revoke ${orgClass} from ${role}( granted by \\w+)?; select rowscope\\._refresh_user_classes\\('${org.id('seller')}'\\)$`),
    }, true);
    // The membership was granted by the definer; only a revoke as the definer removes it (PostgreSQL 16+).
    await expectFinding(`set role rowscope_definer; revoke ${buClass} from ${role}; reset role`,
      `select rowscope._refresh_user_classes('${org.id('seller')}')`,
      { lint: 'user_class_membership', object: `user ${role} on account`, remedy: /_refresh_user_classes/ }, true);
  });

  it('finds a user in a table\'s write role its privileges do not call for, or missing from one', async () => {
    const role = org.role('reader');
    const [{ del }] = await org.admin(`select rowscope._table_role('account', 'delete') as del`);
    await expectFinding(`grant ${del} to ${role}`, `revoke ${del} from ${role}`, {
      lint: 'user_write_roles', object: `user ${role} on account`,
      remedy: new RegExp(`^revoke ${del} from ${role}( granted by \\w+)?; select rowscope\\._refresh_user_classes\\('${org.id('reader')}'\\)$`),
    }, true);
    const seller = org.role('seller');
    await expectFinding(`set role rowscope_definer; revoke ${del} from ${seller}; reset role`,
      `select rowscope._refresh_user_classes('${org.id('seller')}')`,
      { lint: 'user_write_roles', object: `user ${seller} on account`, remedy: /_refresh_user_classes/ }, true);
  });

  it('prints findings for people: level, lint, object, message and fix', async () => {
    await org.admin('alter table app.account no force row level security');
    try {
      const run = await clusterLock('shared', () => runCli(['doctor'], { databaseUrl: db.url, env: PATCHED }));
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('error rls_not_forced: app.account\n');
      expect(run.stdout).toContain('      fix: alter table app.account force row level security\n');
      // (other test files' user roles are cluster-wide: see 'passes a freshly secured database')
      if (!/^error .*: role /m.test(run.stdout)) expect(run.stdout).toMatch(/1 error, 0 warnings; \d+ of \d+ checks passed\n$/);
    } finally {
      await org.admin('alter table app.account force row level security');
    }
    const { report } = await doctor();
    expect(ours(report.findings)).toEqual([]);
  });

  it('refuses a database without rowscope in one line', async () => {
    const run = await runCli(['doctor'], { databaseUrl: db.adminUrl });
    expect(run.code).toBe(1);
    expect(errorLines(run).filter((l) => l.startsWith('rowscope: '))).toEqual(['rowscope: this database has no rowscope schema; run `rowscope migrate` first']);
  });
});
