// One database, one organization, for copies too. A database made with
// CREATE DATABASE … TEMPLATE keeps its original's tag and so its class, write
// and members roles: before rowscope.retag_database() a class change in the
// copy reached the original (sql/660_ddl_database_copy.sql). Here: doctor
// names the sharing, retag_database gives the copy roles of its own with every
// user's classes and session defaults, and from then on the two never affect
// each other.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { adminUrlFor, createDatabase, dropDatabase, withClient } from '../../../src/db/client.ts';
import type { DoctorReport } from '../../../src/cli/doctor/lints.ts';
import { buildSecured } from '../../support/secured.ts';
import { clusterLock, runCli } from '../cli/run-cli.ts';

const adminUrl = inject('adminUrl');
const suffix = randomBytes(4).toString('hex');
const BOB = `copy_${suffix}_bob`;
const ORIGINAL = `copy_${suffix}_a`;
const COPY = `copy_${suffix}_b`;
const url = (db: string) => adminUrlFor(adminUrl, db);
const tags: string[] = [];

async function q<T extends pg.QueryResultRow = any>(db: string, text: string, values: unknown[] = []): Promise<T[]> {
  return withClient(url(db), async (c) => (await c.query<T>(text, values)).rows);
}
const tagOf = async (db: string) => (await q<{ tag: string }>(db, 'select tag from rowscope.database_tag'))[0]!.tag;
const idOf = async (db: string, role: string) => (await q<{ id: string }>(db, 'select id from rowscope.system_user where db_role = $1', [role]))[0]!.id;

/** bob's own login to the database: what he sees of the accounts. */
async function bobSees(db: string): Promise<string[]> {
  const u = new URL(url(db));
  const client = new pg.Client({ host: u.hostname, port: Number(u.port), database: db, user: BOB, password: 'x' });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query('select name from api.account order by name')).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

async function doctor(db: string): Promise<DoctorReport> {
  const run = await clusterLock('shared', () => runCli(['doctor', '--json'], { databaseUrl: url(db) }));
  return JSON.parse(run.stdout) as DoctorReport;
}
const sharing = (report: DoctorReport) => report.findings.filter((f) => f.lint === 'database_roles_shared').map((f) => f.object);

beforeAll(async () => {
  // the original is built by the migrations (its own tag), with bob
  // (salesperson in sales) and accounts in both business units
  await createDatabase(adminUrl, ORIGINAL);
  await buildSecured(url(ORIGINAL), 'basic');
  const [{ id: root }] = await q(ORIGINAL, `select rowscope.create_business_unit('Organization', null) as id`);
  const [{ id: sales }] = await q(ORIGINAL, `select rowscope.create_business_unit('sales', $1) as id`, [root]);
  const [{ id: service }] = await q(ORIGINAL, `select rowscope.create_business_unit('service', $1) as id`, [root]);
  const [{ id: bob }] = await q(ORIGINAL, 'select rowscope.create_user($1, $2) as id', [BOB, sales]);
  await q(ORIGINAL, `select rowscope.assign_role($1, 'salesperson')`, [bob]);
  const [{ id: other }] = await q(ORIGINAL, 'select rowscope.create_user($1, $2) as id', [`copy_${suffix}_other`, service]);
  await q(ORIGINAL, `insert into app.account (name, owner_id) values ('bobs', $1), ('service_a', $2)`, [bob, other]);
  await withClient(adminUrl, (c) => c.query(`alter role ${BOB} password 'x'`));
  // the copy, as a test suite or a restore next to the original makes it
  await createDatabase(adminUrl, COPY, ORIGINAL);
  tags.push(await tagOf(ORIGINAL));
}, 180_000);

afterAll(async () => {
  for (const db of [COPY, ORIGINAL]) await dropDatabase(adminUrl, db);
  await withClient(adminUrl, async (c) => {
    const logins = await c.query(`select quote_ident(rolname) as r from pg_roles where rolname like $1`, [`copy\\_${suffix}\\_%`]);
    const tagged = await c.query(`select quote_ident(rolname) as r from pg_roles where rolname ~ $1`, [`^rowscope_(${tags.join('|')})_`]);
    for (const { r } of [...logins.rows, ...tagged.rows]) await c.query(`drop role if exists ${r}`);
  });
});

describe('a copy of a rowscope database', () => {
  it('shares its original\'s roles until retagged, and doctor names the other database in both', async () => {
    expect(await tagOf(COPY)).toBe(tags[0]);
    expect(sharing(await doctor(COPY))).toEqual([`database ${ORIGINAL}`]);
    const report = await doctor(ORIGINAL);
    expect(sharing(report)).toEqual([`database ${COPY}`]);
    expect(report.findings.find((f) => f.lint === 'database_roles_shared')).toMatchObject({
      level: 'warn', remedy: expect.stringContaining('rowscope.retag_database()'),
    });
  });

  it('retag_database is the deployment administrator\'s: a rowscope user is refused and nothing changes', async () => {
    const error = await withClient(url(COPY), async (c) => {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [BOB]);
      return c.query('select rowscope.retag_database()').then(() => null, (e: pg.DatabaseError) => e);
    });
    expect(error?.code).toBe('42501');
    expect(await tagOf(COPY)).toBe(tags[0]);
  });

  it('retag_database moves the copy onto roles of its own, with every user\'s classes and session defaults', async () => {
    const [{ tag }] = await q<{ tag: string }>(COPY, 'select rowscope.retag_database() as tag');
    tags.push(tag);
    expect(tag).toMatch(/^[0-9a-f]{8}$/);
    expect(tag).not.toBe(tags[0]);
    expect(await tagOf(COPY)).toBe(tag);
    expect(await tagOf(ORIGINAL)).toBe(tags[0]);
    // no policy or grant of the copy names a role of another tag
    const foreign = await q(COPY, `
      select r.rolname from pg_shdepend s join pg_roles r on r.oid = s.refobjid
      where s.dbid = (select oid from pg_database where datname = current_database())
        and r.rolname ~ '^rowscope_[0-9a-f]{8}_' and not starts_with(r.rolname, $1)`, [`rowscope_${tag}_`]);
    expect(foreign).toEqual([]);
    const classRoles = await q<{ role: string }>(COPY, `select c.value as role from rowscope.secured_table t cross join jsonb_each_text(t.class_roles) c`);
    expect(classRoles.length).toBeGreaterThan(0);
    expect(classRoles.every((c) => c.role.startsWith(`rowscope_${tag}_`))).toBe(true);
    // bob's login is in the copy's members role and the class its data gives him
    const held = (await q<{ rolname: string }>(COPY, `select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid
      where m.member = $1::regrole and starts_with(r.rolname, $2) order by 1`, [BOB, `rowscope_${tag}_`])).map((r) => r.rolname);
    expect(held).toEqual(expect.arrayContaining([`rowscope_${tag}_members`, `rowscope_${tag}_account_bu`]));
    // ALTER ROLE … IN DATABASE settings belong to a database's oid: the copy's own
    const [{ settings }] = await q(COPY, `select s.setconfig as settings from pg_db_role_setting s
      where s.setrole = $1::regrole and s.setdatabase = (select oid from pg_database where datname = current_database())`, [BOB]);
    expect(settings).toEqual(expect.arrayContaining(['lock_timeout=5s', 'statement_timeout=5min']));
    // the original still uses the old roles, which therefore stay
    expect((await q(ORIGINAL, `select count(*)::int as n from pg_roles where rolname = $1`, [`rowscope_${tags[0]}_account_bu`]))[0].n).toBe(1);
    expect(sharing(await doctor(COPY))).toEqual([]);
    expect(sharing(await doctor(ORIGINAL))).toEqual([]);
  });

  it('after it, a class change in either never changes what bob sees in the other', async () => {
    expect(await bobSees(ORIGINAL)).toEqual(['bobs']);
    expect(await bobSees(COPY)).toEqual(['bobs']);
    await q(COPY, `select rowscope.assign_role($1, 'reader_org')`, [await idOf(COPY, BOB)]);
    expect(await bobSees(COPY)).toEqual(['bobs', 'service_a']);
    expect(await bobSees(ORIGINAL)).toEqual(['bobs']);
    await q(ORIGINAL, `select rowscope.remove_role($1, 'salesperson')`, [await idOf(ORIGINAL, BOB)]);
    expect(await bobSees(ORIGINAL)).toEqual([]);
    expect(await bobSees(COPY)).toEqual(['bobs', 'service_a']);
  });
});
