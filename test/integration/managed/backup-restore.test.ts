// Backing up a rowscope database and restoring it into a FRESH cluster
// (docs/operations.md "Backup and restore"): the cluster's roles (the users'
// LOGIN roles, rowscope's NOLOGIN roles and the database's class roles
// rowscope_<tag>_…) with `pg_dumpall --globals-only`, the database with
// `pg_dump -Fc`, then `psql -f globals.sql` and `pg_restore --create` on a
// new initdb. The database was deployed by a LOGIN CREATEDB CREATEROLE
// non-superuser (as on a managed service) and holds users, teams, positions,
// shares, field shares and audited changes (test/integration/upgrade/org.ts).
// After the restore every user gets the same answers and the audit chain
// verifies, with the same tip. The server's own binaries are used; the
// embedded PostgreSQL ships no pg_dump, so on it the backup is physical
// instead (a base backup of the running server, started as a new cluster:
// test/support/cluster.ts), and the comparison is the same.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrlFor, withClient } from '../../../src/db/client.ts';
import { caughtUp, freshCluster, hotStandby, newDir, pgProgram, programMajor, serverBinDir, type Cluster } from '../../support/cluster.ts';
import { recordAnswers, securityData, type UserAnswers } from '../upgrade/answers.ts';
import { loadOrganization, type LoadedOrg } from '../upgrade/org.ts';
import { migrateContoso } from '../../support/demo-database.ts';
import { auditState } from './contoso.ts';

const DB = 'contoso_prod';
const deployer = `deployer_${randomBytes(3).toString('hex')}`;
let source: Cluster | undefined;
let target: Cluster | undefined;
let method: 'logical' | 'physical';
let org: LoadedOrg;
let before: Record<string, UserAnswers>;
let beforeAudit: Awaited<ReturnType<typeof auditState>>;
let beforeData: Record<string, Record<string, unknown>[]>;
let restoreLog = '';
let backups: string | undefined;

beforeAll(async () => {
  const bin = serverBinDir();
  source = await freshCluster(bin);
  const major = await withClient(source.url, async (c) => Math.floor(Number((await c.query("select current_setting('server_version_num') as v")).rows[0].v) / 10000));
  method = (await programMajor(bin, 'pg_dump')) === major ? 'logical' : 'physical';

  // deployed as on a managed service: the database belongs to a non-superuser that migrates it
  await withClient(source.url, (c) => c.query(`create role ${deployer} login createdb createrole`));
  const asDeployer = new URL(source.url);
  asDeployer.username = deployer;
  await withClient(asDeployer.toString(), (c) => c.query(`create database ${DB}`));
  await migrateContoso(adminUrlFor(asDeployer.toString(), DB));
  const sourceDb = adminUrlFor(source.url, DB);
  org = await loadOrganization(sourceDb);
  before = await recordAnswers(sourceDb, org);
  beforeAudit = await auditState(sourceDb);
  beforeData = await securityData(sourceDb);

  if (method === 'logical') {
    backups = await newDir('rowscope-backup-');
    const globals = join(backups, 'globals.sql');
    const dump = join(backups, 'contoso.dump');
    // as the deployer, as on a managed service: no superuser, so pg_authid is
    // out of reach (--no-role-passwords) and row-level security applies to the
    // dump (--enable-row-security; the deployment administrator's own policies
    // let it read every row, which the comparisons below prove)
    const conn = ['-h', '127.0.0.1', '-p', String(source.port), '-U', deployer];
    await pgProgram(join(bin, 'pg_dumpall'), [...conn, '--globals-only', '--no-role-passwords', '-f', globals]);
    await pgProgram(join(bin, 'pg_dump'), [...conn, '-d', DB, '-Fc', '--enable-row-security', '-f', dump]);
    await source.stop();
    source = undefined;
    target = await freshCluster(bin);
    const into = ['-h', '127.0.0.1', '-p', String(target.port), '-U', 'postgres'];
    // The fresh cluster's bootstrap superuser is `postgres` too: its CREATE ROLE
    // fails ("already exists") and the rest goes on; nothing else may fail.
    restoreLog = await pgProgram(join(bin, 'psql'), [...into, '-d', 'postgres', '-X', '-q', '-f', globals]);
    restoreLog += await pgProgram(join(bin, 'pg_restore'), [...into, '-d', 'postgres', '--create', '--exit-on-error', dump]);
  } else {
    target = await hotStandby(source);
    await caughtUp(source, target);
    await source.stop();
    source = undefined;
    await pgProgram(join(bin, 'pg_ctl'), ['-D', target.data, '-w', 'promote']);
  }
}, 240_000);
afterAll(async () => {
  await source?.stop();
  await target?.stop();
  if (backups) await rm(backups, { recursive: true, force: true });
});

describe('a rowscope database backed up and restored into a fresh cluster', () => {
  it('restores without errors, except the fresh cluster\'s own superuser already existing', () => {
    const errors = restoreLog.split('\n').filter((l) => /ERROR|FATAL|error:/.test(l));
    expect(errors.filter((l) => !/role "postgres" already exists/.test(l))).toEqual([]);
    // the logical restore ran the globals file through (its one expected error)
    expect(method === 'logical' ? /role "postgres" already exists/.test(restoreLog) : method === 'physical').toBe(true);
  });

  it('is a different, writable cluster owned by the same deployer', async () => {
    const url = adminUrlFor(target!.url, DB);
    const [row] = await withClient(url, async (c) => (await c.query(
      `select pg_is_in_recovery() as recovery, pg_get_userbyid(d.datdba) as owner, r.rolsuper as super
       from pg_database d join pg_roles r on r.oid = d.datdba where d.datname = current_database()`)).rows);
    expect(row).toEqual({ recovery: false, owner: deployer, super: false });
  });

  it('keeps every row of security data and audit', async () => {
    const after = await securityData(adminUrlFor(target!.url, DB));
    expect(Object.keys(after).sort()).toEqual(Object.keys(beforeData).sort());
    for (const table of Object.keys(beforeData)) {
      const canon = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
      expect(canon(after[table]!), table).toEqual(canon(beforeData[table]!));
    }
    expect(beforeData.system_user!.length).toBeGreaterThanOrEqual(Object.keys(org.logins).length);
    expect(beforeData.record_share!.length).toBeGreaterThan(0);
  });

  it('gives every user the same answers as before', async () => {
    const after = await recordAnswers(adminUrlFor(target!.url, DB), org);
    expect(before.alice!.views.account!.length).toBeGreaterThan(1);
    expect(after).toEqual(before);
  });

  it('verifies the audit chain, with the same rows and tip', async () => {
    expect(beforeAudit.problems).toEqual([]);
    expect(beforeAudit.rows).toBeGreaterThan(0);
    expect(await auditState(adminUrlFor(target!.url, DB))).toEqual(beforeAudit);
  });

  it('goes on working: a user writes, the change is audited and the chain still verifies', async () => {
    const url = adminUrlFor(target!.url, DB);
    const account = org.records.account_alice_1!.id;
    await withClient(url, async (c) => {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [org.logins.alice]);
      expect((await c.query("update api.account set city = 'Rome' where id = $1", [account])).rowCount).toBe(1);
      await c.query('commit');
    });
    const now = await auditState(url);
    expect(now.problems).toEqual([]);
    expect(now.rows).toBeGreaterThan(beforeAudit.rows);
    // and the deployer still administers: a new user in the restored database
    const asDeployer = new URL(url);
    asDeployer.username = deployer;
    const login = `${org.tag}_newcomer`;
    const bu = await withClient(url, async (c) => (await c.query('select business_unit_id as id from rowscope.system_user where id = $1', [org.ids.alice])).rows[0].id);
    await withClient(asDeployer.toString(), (c) => c.query('select rowscope.create_user($1, $2)', [login, bu]));
    expect(await withClient(url, async (c) => (await c.query('select count(*)::int as n from pg_roles where rolname = $1', [login])).rows[0].n)).toBe(1);
  });
});
