// Deploying as a managed service's administrator (docs/operations.md "Managed
// PostgreSQL"): a role with LOGIN, CREATEDB and CREATEROLE, no superuser,
// creates its own database, secures the Contoso demo schema with `rowscope
// generate` + `rowscope migrate`, and sets up an organization through the SQL
// API. Users then see what they should, doctor finds no error, a member of
// rowscope_admin administers, and auditLogins (an event trigger: superusers
// only) is reported unavailable in one line instead of failing the migration.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { adminUrlFor, dropDatabase, withClient } from '../../../src/db/client.ts';
import { quoteIdentifier as q } from '../../../src/sql/index.ts';
import type { DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { clusterLock, runCli } from '../cli/run-cli.ts';

const APP_SCHEMA = fileURLToPath(new URL('../../../src/demo/app-schema.sql', import.meta.url));
const ROLES_SQL = fileURLToPath(new URL('../../../sql/001_roles.sql', import.meta.url));
const MODEL = fileURLToPath(new URL('../../../src/demo/contoso.yaml', import.meta.url));
// The CVE lints judge the server's minor version; this file is about the rest.
const PATCHED = { ROWSCOPE_DOCTOR_SERVER_VERSION_NUM: '990000' };

const tag = randomBytes(4).toString('hex');
const deployer = `deployer_${tag}`;
const admin2 = `admin2_${tag}`;
const password = randomBytes(18).toString('base64url');
const database = `managed_${tag}`;
const persona = (name: string) => `${name}_${tag}`;

let superUrl: string;
let url: string; // the deployer's own database, as the deployer
let dir: string;
let pool: pg.Pool;
let version: number;
const ids = new Map<string, string>();

function loginUrl(base: string, user: string, db: string): string {
  const u = new URL(adminUrlFor(base, db));
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

const asDeployer = async <T extends pg.QueryResultRow = any>(text: string, values: unknown[] = []) => (await pool.query<T>(text, values)).rows;

/**
 * One statement after SET ROLE on an application's pooled connection: logged
 * in as rowscope_authenticator, whose password the deployer sets.
 */
async function asRole<T extends pg.QueryResultRow = any>(role: string, text: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: loginUrl(superUrl, 'rowscope_authenticator', database) });
  await c.connect();
  try {
    await c.query('begin');
    await c.query(`set local role ${q(role)}`);
    const res = await c.query<T>(text, values);
    await c.query('commit');
    return res.rows;
  } catch (e) {
    await c.query('rollback');
    throw e;
  } finally {
    await c.end();
  }
}

/** One statement on the user's own login (password set by the deployer). */
async function asLogin<T extends pg.QueryResultRow = any>(role: string, text: string, values: unknown[] = []): Promise<T[]> {
  return withClient(loginUrl(superUrl, role, database), async (c) => (await c.query<T>(text, values)).rows);
}

beforeAll(async () => {
  superUrl = inject('adminUrl');
  await withClient(superUrl, async (c) => {
    version = Number((await c.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]!.v);
    await c.query(`create role ${q(deployer)} login createdb createrole password ${c.escapeLiteral(password)}`);
  });
  // Everything from here on is the deployer's own doing.
  await withClient(loginUrl(superUrl, deployer, 'postgres'), (c) => c.query(`create database ${q(database)}`));
  url = loginUrl(superUrl, deployer, database);
  // On a fresh cluster the deployer creates rowscope's cluster-wide roles
  // itself (the first statement of sql/001_roles.sql, run here as the
  // migration would). On this shared test server other files may have created
  // some first, as the superuser; a deployer on PostgreSQL 16+ then needs ADMIN
  // OPTION on them, as a second deployer on a managed cluster would get from
  // the first (docs/operations.md "Managed PostgreSQL") -- and no more than
  // creating them would have given it: no INHERIT, no SET (else it would act
  // as rowscope_user, a user role for doctor in every database). On 15,
  // CREATEROLE suffices.
  const roles = (await readFile(ROLES_SQL, 'utf8')).split('$roles$;')[0]! + '$roles$;';
  await withClient(url, (c) => c.query(roles));
  if (version >= 160000) {
    await withClient(superUrl, async (c) => {
      const { rows } = await c.query<{ rolname: string }>(`select r.rolname from pg_roles r
        where r.rolname ~ '^rowscope_(owner|definer|user|admin|plan_bump|authenticator)$'
          and not exists (select from pg_auth_members m where m.roleid = r.oid and m.member = $1::regrole and m.admin_option)`, [deployer]);
      for (const r of rows) await c.query(`grant ${q(r.rolname)} to ${q(deployer)} with admin option, inherit false, set false`);
    });
  }
  await withClient(url, async (c) => c.query(await readFile(APP_SCHEMA, 'utf8')));
  dir = await mkdtemp(join(tmpdir(), 'rowscope-managed-'));
  pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => {});
});
afterAll(async () => {
  await pool?.end();
  if (dir) await rm(dir, { recursive: true, force: true });
  await dropDatabase(superUrl, database).catch(() => {});
  await withClient(superUrl, async (c) => {
    // the users' logins, then the deployer and the second administrator
    const { rows } = await c.query<{ rolname: string }>("select rolname from pg_roles where rolname like '%\\_' || $1", [tag]);
    for (const r of rows) {
      if (r.rolname === deployer) continue;
      await c.query(`drop owned by ${q(r.rolname)} cascade`).catch(() => {});
      await c.query(`drop role if exists ${q(r.rolname)}`);
    }
    await c.query(`reassign owned by ${q(deployer)} to current_user`).catch(() => {});
    await c.query(`drop owned by ${q(deployer)} cascade`).catch(() => {});
    await c.query(`drop role if exists ${q(deployer)}`);
  }).catch(() => {});
});

describe('a deployer that is no superuser (LOGIN CREATEDB CREATEROLE)', () => {
  it('is no superuser and owns its database', async () => {
    const [me] = await asDeployer(`select rolsuper, rolcreatedb, rolcreaterole, pg_get_userbyid(d.datdba) as owner
      from pg_roles, pg_database d where rolname = current_user and d.datname = current_database()`);
    expect(me).toEqual({ rolsuper: false, rolcreatedb: true, rolcreaterole: true, owner: deployer });
  });

  it('generates and migrates the demo model; auditLogins is reported unavailable in one line', async () => {
    const gen = await runCli(['generate', '--model', MODEL, '--migrations-dir', dir]);
    expect(gen.stderr).toBe('');
    expect(gen.code).toBe(0);
    const run = await runCli(['migrate', '--migrations-dir', dir], { databaseUrl: url });
    expect(run.stderr).not.toMatch(/rowscope: migration .* failed/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^applied 1 migration in [\d.]+ s\n$/);
    const unavailable = run.stderr.split('\n').filter((l) => /auditLogins/.test(l));
    expect(unavailable).toHaveLength(1);
    expect(unavailable[0]).toMatch(version < 170000
      ? /^rowscope: auditLogins is unavailable on PostgreSQL .*; logins are not audited$/
      : new RegExp(`^rowscope: auditLogins is unavailable: it needs a superuser to create the login event trigger; ${deployer} is none, so logins are not audited$`));
    expect((await asDeployer(`select count(*)::int as n from pg_event_trigger where evtname = 'rowscope_audit_login'`))[0].n).toBe(0);
  });

  it('sets up business units, users and roles through the SQL API and inserts records for their owners', async () => {
    const [root] = await asDeployer(`select coalesce(rowscope.root_business_unit(), rowscope.create_business_unit('Contoso', null)) as id`);
    const [sales] = await asDeployer(`select rowscope.create_business_unit($1, $2) as id`, [`Sales ${tag}`, root.id]);
    const [service] = await asDeployer(`select rowscope.create_business_unit($1, $2) as id`, [`Service ${tag}`, root.id]);
    for (const [name, bu, role] of [['ann', sales.id, 'sales_team_member'], ['bob', sales.id, 'sales_team_member'], ['sue', service.id, 'employee_base']] as const) {
      const [u] = await asDeployer(`select rowscope.create_user($1, $2) as id`, [persona(name), bu]);
      await asDeployer(`select rowscope.assign_role($1, $2)`, [u.id, role]);
      ids.set(name, u.id);
    }
    await asDeployer(`insert into app.account (name, owner_id) values ('Ann''s account', $1), ('Bob''s account', $2), ('Sue''s account', $3)`,
      [ids.get('ann'), ids.get('bob'), ids.get('sue')]);
    expect((await asDeployer('select count(*)::int as n from app.account'))[0].n).toBe(3);
  });

  it('each user sees exactly what the model gives them, after SET ROLE from the deployer and on their own login', async () => {
    const names = (rows: { name: string }[]) => rows.map((r) => r.name);
    const accounts = 'select name from api.account order by name';
    await asDeployer(`alter role rowscope_authenticator password '${password}'`);
    // Sales (ann, bob: sales_team_member) read their business unit's accounts; sue (Service) hers
    expect(names(await asRole(persona('ann'), accounts))).toEqual(["Ann's account", "Bob's account"]);
    expect(names(await asRole(persona('sue'), accounts))).toEqual(["Sue's account"]);
    await asDeployer(`alter role ${q(persona('bob'))} password '${password}'`);
    expect(names(await asLogin(persona('bob'), accounts))).toEqual(["Ann's account", "Bob's account"]);
    expect(names(await asLogin(persona('bob'), 'select name from app.account order by name'))).toEqual(["Ann's account", "Bob's account"]);
    // writes at user depth: ann changes her account, not bob's; sue creates nothing
    expect(await asRole(persona('ann'), "update api.account set city = 'Oslo' where name = 'Ann''s account' returning name")).toHaveLength(1);
    const bobs = await asRole(persona('ann'), "update api.account set city = 'Oslo' where name = 'Bob''s account'").catch((e: { code: string }) => e.code);
    expect(bobs).toBe('42501');
    const created = await asRole(persona('sue'), "insert into api.account (name) values ('x')").catch((e: { code: string }) => e.code);
    expect(created).toBe('42501');
  });

  it('rowscope doctor finds no error', async () => {
    const run = await clusterLock('shared', () => runCli(['doctor', '--json'], { databaseUrl: url, env: PATCHED }));
    const report = JSON.parse(run.stdout) as DoctorReport;
    // roles are cluster-wide: other test files break their own users for a moment
    const ours = report.findings.filter((f) => f.level === 'error' && (!f.object.startsWith('role ') || f.object.includes(tag)));
    expect(ours.map((f) => `${f.lint}: ${f.object}: ${f.message}`)).toEqual([]);
  });

  it('a role the deployer grants rowscope_admin administers with the admin functions', async () => {
    await asDeployer(`create role ${q(admin2)} login password '${password}'`);
    await asDeployer(`grant rowscope_admin to ${q(admin2)}`);
    const [bu] = await asLogin(admin2, `select rowscope.create_business_unit($1, rowscope.root_business_unit()) as id`, [`Support ${tag}`]);
    const [u] = await asLogin(admin2, `select rowscope.create_user($1, $2) as id`, [persona('cy'), bu.id]);
    await asLogin(admin2, `select rowscope.assign_role($1, 'employee_base')`, [u.id]);
    await asLogin(admin2, `insert into app.account (name, owner_id) values ('Cy''s account', $1)`, [u.id]);
    expect((await asRole(persona('cy'), 'select name from api.account')).map((r) => r.name)).toEqual(["Cy's account"]);
    expect((await asLogin(admin2, 'select count(*)::int as n from api.account'))[0].n).toBe(4);
    expect((await asLogin(admin2, 'select count(*)::int as n from api.audit_log'))[0].n).toBeGreaterThan(0);
    // and it is no more than that: no superuser, no member of the deployer
    const [who] = await asLogin(admin2, "select rolsuper, pg_has_role(current_user, $1, 'member') as deployer from pg_roles where rolname = current_user", [deployer]);
    expect(who).toEqual({ rolsuper: false, deployer: false });
  });
});
