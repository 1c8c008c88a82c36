// Upgrading a database built by rowscope 20fab3e (test/fixtures/upgrade/20fab3e:
// the migrations that version generated for its demo model) with the current
// code: `generate` writes an upgrade migration, `migrate` applies it, and every
// user gets the same answers as before, except where this version's rules
// differ (EXPECTED_DIFFERENCES below); no row of security data or audit is lost
// and the audit chain still verifies. Keep this test for every future core
// change: a core change that needs a data transformation adds a hook to
// sql/upgrade/20_copy_data.sql, and a rule change adds an expectation here.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../../src/db/migrate.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { clusterLock, runCli } from '../cli/run-cli.ts';
import type { DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { project, recordAnswers, securityData, type UserAnswers } from './answers.ts';
import { loadOrganization, PERSONAS, type LoadedOrg } from './org.ts';

const FIXTURE = fileURLToPath(new URL('../../fixtures/upgrade/20fab3e/', import.meta.url));
const MODEL = join(FIXTURE, 'contoso.yaml');

// What this version answers differently from 20fab3e, on purpose:
// - the security data views (api.business_unit, api.system_user, ...) are new
//   (3c4ad76): they did not exist, so they have no "before" to compare with.
const NEW_API_VIEWS = ['business_unit', 'field_permission', 'field_profile_member', 'field_security_profile',
  'field_share', 'position', 'record_share', 'role_assignment', 'role_misc_privilege', 'role_privilege', 'security_role',
  'system_user', 'team', 'team_member'];
// - the audit chain is ordered by a new column, audit_log.seq (3039fd2); the
//   chain's state moved from tip_id/base_id/holder to tip_seq/base_seq.
const NEW_COLUMNS: Record<string, string[]> = { audit_log: ['seq'], audit_chain: ['tip_seq', 'base_seq'] };
const DROPPED_COLUMNS: Record<string, string[]> = { audit_chain: ['tip_id', 'base_id', 'holder'] };
// - tables whose rows are state rather than data: the security epoch only grows.
const STATE_TABLES = ['security_epoch'];
// - tables that gain rows by the new rules: settings new in this version
//   (keepRolesOnBusinessUnitChange, sessionDefaults), every business unit's
//   default team with the users of that unit as members (sql/074), and the
//   principals of those teams. Every old row must still be there.
const GROWING_TABLES = ['audit_log', 'setting', 'team', 'team_member', 'principal'];
// - class roles are per database (sql/050_access_classes.sql): the catalog's
//   class_roles name rowscope_<tag>_<table>_<class> (this database's tag)
//   where 20fab3e named the cluster-wide rowscope_<table>_read_<class>.
const CHANGED_COLUMNS: Record<string, Record<string, (old: unknown, row: Record<string, unknown>, tag: string) => unknown>> = {
  secured_table: {
    class_roles: (old, row, tag) => Object.fromEntries(Object.entries(old as Record<string, string>).map(([cls, role]) => {
      expect(role, `${String(row.name)}.${cls}`).toBe(`rowscope_${String(row.name)}_read_${cls}`);
      return [cls, `rowscope_${tag}_${String(row.name)}_${cls}`];
    })),
  },
};
const PATCHED_SERVER = { ROWSCOPE_DOCTOR_SERVER_VERSION_NUM: '990000' };

let db: TestDatabase;
let dir: string;
let migrations: string;
let org: LoadedOrg;
let before: Record<string, UserAnswers>;
let beforeData: Record<string, Record<string, unknown>[]>;

const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
};

beforeAll(async () => {
  db = await databaseFor({ template: 'upgrade_empty', build: async () => {} });
  dir = await mkdtemp(join(tmpdir(), 'rowscope-upgrade-'));
  migrations = join(dir, 'migrations');
  await cp(FIXTURE, migrations, { recursive: true, filter: (src) => !/\.(yaml|md)$/.test(src) });
  await runMigrations({ url: db.url, dir: migrations });
  org = await loadOrganization(db.url);
  before = await recordAnswers(db.url, org);
  beforeData = await securityData(db.url);
});
afterAll(async () => {
  if (db) {
    const logins = org ? Object.values(org.logins) : [];
    await db.drop();
    const c = new pg.Client({ connectionString: db.adminUrl });
    await c.connect();
    for (const login of logins) await c.query(`drop role if exists "${login}"`).catch(() => {});
    await c.end();
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('upgrading a database built by rowscope 20fab3e', () => {
  it('the organization was loaded and its audit chain verifies under 20fab3e', async () => {
    expect(before.alice!.views.account!.length).toBeGreaterThan(0);
    expect(beforeData.audit_log!.length).toBeGreaterThan(5);
    expect(await query('select * from rowscope.verify_audit()')).toEqual([]);
  });

  it('generate writes an upgrade migration (not a model one), then nothing', async () => {
    const gen = await runCli(['generate', '--model', MODEL, '--migrations-dir', migrations]);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/^wrote .*\d+_rowscope-upgrade\.sql \(an upgrade to this rowscope version's core that keeps the security data and audit; it cannot be reverted: back up first\)\n$/);
    const again = await runCli(['generate', '--model', MODEL, '--migrations-dir', migrations]);
    expect(again.stdout).toBe('model unchanged, nothing written\n');
    expect((await readdir(migrations)).filter((f) => f.endsWith('.sql'))).toHaveLength(3);
  });

  it('migrate applies it and the previous schema is gone', async () => {
    const run = await runCli(['migrate', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(run.stderr).toMatch(/applying \d+_rowscope-upgrade/);
    if (run.code !== 0) console.error(run.stderr);
    expect(run.code).toBe(0);
    const schemas = await query<{ nspname: string }>(`select nspname from pg_namespace where nspname like 'rowscope%' order by 1`);
    expect(schemas.map((s) => s.nspname)).toEqual(['rowscope']);
    expect((await query<{ n: number }>(`select count(*)::int as n from rowscope.audit_log where seq is null`))[0]!.n).toBe(0);
  });

  it('every user gets the same answers, except the views that are new in this version', async () => {
    const after = await recordAnswers(db.url, org);
    expect(Object.keys(after).sort()).toEqual([...PERSONAS].sort());
    for (const persona of PERSONAS) {
      const b = before[persona]!;
      const a = after[persona]!;
      const added = Object.keys(a.views).filter((v) => !(v in b.views)).sort();
      expect(added, persona).toEqual(NEW_API_VIEWS);
      for (const v of NEW_API_VIEWS) delete a.views[v];
      expect(a, persona).toEqual(b);
    }
    // the answers differ between users: the comparison above is not vacuous
    expect(after.alice!.views.account).not.toEqual(after.sam!.views.account);
    expect(Object.values(after.alice!.salaries).some((s) => s === null)).toBe(true);
    expect(Object.values(after.hank!.salaries).some((s) => s === '61000.00')).toBe(true);
  });

  it('gives every business unit its default team, whose members are exactly its users (the new rule)', async () => {
    const rows = await query<{ bu: string; teams: number; missing: number; extra: number }>(`
      select b.name as bu,
             (select count(*)::int from rowscope.team t where t.business_unit_id = b.id and t.is_default) as teams,
             (select count(*)::int from rowscope.system_user u where u.business_unit_id = b.id and not exists (
                select from rowscope.team t join rowscope.team_member m on m.team_id = t.id
                where t.business_unit_id = b.id and t.is_default and m.user_id = u.id)) as missing,
             (select count(*)::int from rowscope.team t join rowscope.team_member m on m.team_id = t.id
                join rowscope.system_user u on u.id = m.user_id
              where t.business_unit_id = b.id and t.is_default and u.business_unit_id <> b.id) as extra
      from rowscope.business_unit b order by b.name`);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) expect({ bu: r.bu, teams: r.teams, missing: r.missing, extra: r.extra }).toEqual({ bu: r.bu, teams: 1, missing: 0, extra: 0 });
  });

  it('no row of security data or audit is lost, and no row changed but as this version represents it', async () => {
    const afterData = await securityData(db.url);
    const [{ tag }] = await query<{ tag: string }>('select tag from rowscope.database_tag') as [{ tag: string }];
    expect(tag).toMatch(/^[0-9a-f]{8}$/);
    for (const [table, rows] of Object.entries(beforeData)) {
      if (STATE_TABLES.includes(table)) continue;
      expect(afterData[table], table).toBeDefined();
      const keys = Object.keys(rows[0] ?? afterData[table]![0] ?? {}).filter((k) => !(DROPPED_COLUMNS[table] ?? []).includes(k));
      const changed = Object.entries(CHANGED_COLUMNS[table] ?? {});
      if (changed.length > 0) expect(rows.length, table).toBeGreaterThan(0);
      const expected = rows.map((r) => ({ ...r, ...Object.fromEntries(changed.map(([k, f]) => [k, f(r[k], r, tag)])) }));
      const old = project(expected, keys);
      const now = project(afterData[table]!, keys);
      expect(now.filter((r) => old.includes(r)), table).toEqual(old);
      // nothing new either, except what the new columns say
      if (!GROWING_TABLES.includes(table)) expect(now.length, table).toBe(old.length);
    }
    const chain = afterData.audit_chain![0]!;
    const oldChain = beforeData.audit_chain![0]!;
    expect([chain.tip_seq, chain.tip_hash, chain.base_seq]).toEqual([oldChain.tip_id, oldChain.tip_hash, oldChain.base_id]);
    for (const row of afterData.audit_log!) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining(NEW_COLUMNS.audit_log!));
      if (Number(row.id) <= Number(oldChain.tip_id)) expect(row.seq, `audit row ${row.id}`).toBe(row.id);
    }
  });

  it('the audit chain verifies, and new changes chain after the old rows', async () => {
    expect(await query('select * from rowscope.verify_audit()')).toEqual([]);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [org.logins.alice]);
      await c.query(`update api.account set city = 'Nice' where id = $1`, [org.records.account_alice_1!.id]);
      await c.query('commit');
    } finally {
      await c.end();
    }
    const [last] = await query<{ seq: string; record_id: string; action: string }>(
      'select a.seq::text as seq, a.record_id::text as record_id, a.action from rowscope.audit_log a order by a.seq desc limit 1');
    expect(last).toEqual({ seq: String(Number(beforeData.audit_chain![0]!.tip_id) + 1), record_id: org.records.account_alice_1!.id, action: 'update' });
    expect(await query('select * from rowscope.verify_audit()')).toEqual([]);
  });

  it('users keep no class role of the old version: each is in exactly one class of this database per table, the one its access calls for', async () => {
    const logins = Object.values(org.logins);
    // every rowscope role a login is a member of is rowscope_user or one of this database's
    const foreign = await query<{ login: string; role: string }>(`
      select m.rolname as login, r.rolname as role
      from pg_auth_members a join pg_roles r on r.oid = a.roleid join pg_roles m on m.oid = a.member
      where m.rolname = any ($1) and r.rolname like 'rowscope\\_%'
        and r.rolname <> 'rowscope_user'
        and not starts_with(r.rolname, 'rowscope_' || (select tag from rowscope.database_tag) || '_')
      order by 1, 2`, [logins]);
    expect(foreign).toEqual([]);
    // the old roles themselves stay (other databases of the cluster may use them)
    expect(await query(`select rolname from pg_roles where rolname = 'rowscope_account_read_org'`)).toHaveLength(1);

    const classes = await query<{ login: string; table_name: string; roles: string[]; expected: string }>(`
      select u.db_role as login, s.name as table_name,
             array(select c.value from jsonb_each_text(s.class_roles) c
                   where pg_has_role(u.db_role, c.value, 'member') order by 1) as roles,
             s.class_roles ->> rowscope._read_class(u.id, s.name) as expected
      from rowscope.system_user u cross join rowscope.secured_table s
      where u.db_role = any ($1) order by 1, 2`, [logins]);
    expect(classes).toHaveLength(logins.length * 4);
    for (const c of classes) expect(c.roles, `${c.login} on ${c.table_name}`).toEqual([c.expected]);
    // not all in the same class: the check above is not vacuous
    expect(new Set(classes.filter((c) => c.table_name === 'account').map((c) => c.expected)).size).toBeGreaterThan(1);

    // the write privileges moved from rowscope_user to the tables' write roles
    const userWrites = await query(`
      select c.relname, x.privilege_type from rowscope.secured_table s join pg_class c on c.oid = format('%I.%I', s.data_schema, s.name)::regclass
      cross join lateral aclexplode(c.relacl) x where x.grantee = 'rowscope_user'::regrole and x.privilege_type in ('UPDATE', 'DELETE')
      union all
      select c.relname, x.privilege_type from rowscope.secured_table s join pg_class c on c.oid = format('%I.%I', s.data_schema, s.name)::regclass
      join pg_attribute a on a.attrelid = c.oid cross join lateral aclexplode(a.attacl) x
      where x.grantee = 'rowscope_user'::regrole and x.privilege_type = 'UPDATE'`);
    expect(userWrites).toEqual([]);
    const writeRoles = await query<{ table_name: string; deleters: number }>(`
      select s.name as table_name,
             (select count(*)::int from pg_auth_members a where a.roleid = to_regrole(quote_ident(rowscope._table_role(s.name, 'delete')))
                and a.member in (select to_regrole(quote_ident(u.db_role)) from rowscope.system_user u)) as deleters
      from rowscope.secured_table s
      where has_table_privilege(rowscope._table_role(s.name, 'delete'), format('%I.%I', s.data_schema, s.name), 'DELETE')
      order by 1`);
    expect(writeRoles.map((w) => w.table_name)).toEqual(['account', 'contact', 'employee', 'product']);
    expect(writeRoles.find((w) => w.table_name === 'account')!.deleters).toBeGreaterThan(0);
  });

  it('rowscope doctor finds no error in the upgraded database', async () => {
    const run = await clusterLock('shared', () => runCli(['doctor', '--json'], { databaseUrl: db.url, env: PATCHED_SERVER }));
    const report = JSON.parse(run.stdout) as DoctorReport;
    // roles are cluster-wide: other test files break their own users for a moment
    const ours = report.findings.filter((f) => f.level === 'error'
      && (!f.object.startsWith('role ') || f.object.startsWith(`role ${org.tag}_`)));
    expect(ours).toEqual([]);
    expect(report.checks.length).toBeGreaterThan(5);
    if (report.errors === 0) expect(run.code).toBe(0);
  });

  it('migrate --down refuses: a core downgrade is not supported, and nothing changes', async () => {
    await expect(runMigrations({ url: db.url, dir: migrations, direction: 'down', count: 1 }))
      .rejects.toThrow(/a core downgrade is not supported/);
    const cli = await runCli(['migrate', '--down', '--drop-security-data', '--migrations-dir', migrations], { databaseUrl: db.url });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toMatch(/a core downgrade is not supported/);
    const applied = await query<{ name: string }>('select name from public.pgmigrations order by id');
    expect(applied.map((r) => r.name).at(-1)).toMatch(/_rowscope-upgrade$/);
    expect((await recordAnswers(db.url, org)).alice!.views.account).toEqual(before.alice!.views.account);
  });
});
