// `rowscope demo` (what `npm start` runs) against a DATABASE_URL of a deployer
// that is no superuser (LOGIN CREATEDB CREATEROLE owning an empty database, as
// on a managed service; docs/operations.md "Managed PostgreSQL"): it migrates,
// seeds Contoso and prints what each demo user sees, the same as for a
// superuser (test/integration/cli/demo.test.ts has the full table), and says in
// one line that logins are not audited.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { adminUrlFor, dropDatabase, withClient } from '../../../src/db/client.ts';
import { quoteIdentifier as q } from '../../../src/sql/index.ts';
import { createDeployer } from '../../support/deployer.ts';
import { runCli, type CliRun } from '../cli/run-cli.ts';

const tag = randomBytes(4).toString('hex');
const deployer = `demo_deployer_${tag}`;
const database = `demo_managed_${tag}`;
let superUrl: string;
let url: string;
let run: CliRun;
let version: number;

beforeAll(async () => {
  superUrl = inject('adminUrl');
  version = await withClient(superUrl, async (c) => Number((await c.query("select current_setting('server_version_num') as v")).rows[0].v));
  const deployerUrl = await createDeployer(superUrl, deployer);
  await withClient(deployerUrl, (c) => c.query(`create database ${q(database)}`));
  url = adminUrlFor(deployerUrl, database);
  run = await runCli(['demo', '--no-graphql'], { databaseUrl: url });
}, 240_000);
afterAll(async () => {
  await dropDatabase(superUrl, database).catch(() => {});
  await withClient(superUrl, async (c) => {
    await c.query(`reassign owned by ${q(deployer)} to current_user`).catch(() => {});
    await c.query(`drop owned by ${q(deployer)} cascade`).catch(() => {});
    await c.query(`drop role if exists ${q(deployer)}`);
  }).catch(() => {});
});

/** The user table the demo prints: role -> accounts seen. */
function accounts(stdout: string): Record<string, number> {
  const seen: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length === 9 && /^\d+$/.test(cells[5]!)) seen[cells[0]!] = Number(cells[5]);
  }
  return seen;
}

describe('rowscope demo as a deployer that is no superuser', () => {
  it('lets the deployer look as a user with rowscope as (its temporary login is dropped again)', async () => {
    const as = await runCli(['as', 'bob', '--', 'select count(*) from api.account'], { databaseUrl: url });
    expect(as.stderr).toBe('');
    expect(as.code).toBe(0);
    expect(as.stdout).toMatch(/\b128\b/);
    // no temporary login of this deployer's is left (other files run rowscope as at the same time)
    const left = await withClient(superUrl, async (c) => (await c.query(`select count(*)::int as n from pg_auth_members m
      join pg_roles r on r.oid = m.member where r.rolname like 'rowscope\\_as\\_%' and m.grantor = $1::regrole`, [deployer])).rows[0].n);
    expect(left).toBe(0);
  });

  it('migrates, seeds and shows each user what the database lets them see', () => {
    expect(run.stderr).toMatch(/seeded: 339 accounts, \d+ contacts, 15 employees/);
    expect(run.code).toBe(0);
    const seen = accounts(run.stdout);
    expect(Object.keys(seen)).toHaveLength(15);
    expect(seen).toMatchObject({ irene: 339, henry: 0, bob: 128, judy: 0, frank: 26 });
  });

  it('says in one line that logins are not audited, and nothing else fails', async () => {
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('rowscope: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(version < 170000 ? /^rowscope: auditLogins is unavailable on PostgreSQL / : /^rowscope: auditLogins is unavailable: it needs a superuser/);
    const [owner] = await withClient(url, async (c) => (await c.query(
      'select pg_get_userbyid(datdba) as owner, (select rolsuper from pg_roles where rolname = current_user) as super from pg_database where datname = current_database()')).rows);
    expect(owner).toEqual({ owner: deployer, super: false });
    // it acted as the users through a membership that ended with the seed (src/db/act-as-users.ts)
    const left = await withClient(superUrl, async (c) => (await c.query(
      'select pg_has_role($1, \'rowscope_authenticator\', $2) as m', [deployer, version >= 160000 ? 'SET' : 'MEMBER'])).rows[0].m);
    expect(left).toBe(false);
  });
});
