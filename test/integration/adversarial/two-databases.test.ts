// F5: two rowscope databases in one cluster never affect each other. At
// 20fab3e class roles were cluster-wide (rowscope_account_read_org, ...):
// making bob an organization reader in a second database put his login in the
// org class the first database's policies are bound to, so his account count
// there rose. Both databases are built here by running the migrations (test
// databases are otherwise clones of one template and share its tag).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { adminUrlFor, createDatabase, dropDatabase, withClient } from '../../../src/db/client.ts';
import { buildSecured } from '../../support/secured.ts';

interface Db {
  name: string;
  url: string;
  pool: pg.Pool;
  bus: Record<string, string>;
  bob: string;
  tag: string;
}

const adminUrl = inject('adminUrl');
const suffix = randomBytes(4).toString('hex');
const BOB = `f5_${suffix}_bob`;
const dbs: Db[] = [];

async function q<T extends pg.QueryResultRow = any>(db: Db, text: string, values: unknown[] = []): Promise<T[]> {
  return (await db.pool.query<T>(text, values)).rows;
}

/** A database built by the migrations, with an organization: bob (salesperson in sales) and records in both BUs. */
async function organization(name: string): Promise<Db> {
  await createDatabase(adminUrl, name);
  const url = adminUrlFor(adminUrl, name);
  await buildSecured(url, 'basic');
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  const db: Db = { name, url, pool, bus: {}, bob: '', tag: '' };
  dbs.push(db);
  db.tag = (await q(db, 'select tag from rowscope.database_tag'))[0].tag;
  db.bus.root = (await q(db, `select rowscope.create_business_unit('Organization', null) as id`))[0].id;
  for (const bu of ['sales', 'service']) {
    db.bus[bu] = (await q(db, 'select rowscope.create_business_unit($1, $2) as id', [`${name} ${bu}`, db.bus.root]))[0].id;
  }
  // the same login in both databases: created by the first, mapped by the second
  db.bob = (await q(db, `select rowscope.create_user($1, $2) as id`, [BOB, db.bus.sales]))[0].id;
  await q(db, `select rowscope.assign_role($1, 'salesperson')`, [db.bob]);
  const other = (await q(db, `select rowscope.create_user($1, $2) as id`, [`f5_${suffix}_${name.slice(-1)}_other`, db.bus.service]))[0].id;
  await q(db, `insert into app.account (name, owner_id) values ('bobs', $1), ('sales_only', $1), ('service_a', $2), ('service_b', $2)`, [db.bob, other]);
  return db;
}

/** bob's own login to the database. */
async function bobLogin(db: Db): Promise<pg.Client> {
  const url = new URL(db.url);
  const client = new pg.Client({ host: url.hostname, port: Number(url.port), database: db.name, user: BOB, password: 'x' });
  client.on('error', () => {});
  await client.connect();
  return client;
}

const names = async (c: pg.Client) => (await c.query('select name from api.account order by name')).rows.map((r) => r.name);

/** The rowscope roles of one database bob's login is a member of. */
async function bobsRoles(db: Db): Promise<string[]> {
  return (await q(db, `select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid
    where m.member = $1::regrole and r.rolname like $2 order by 1`, [BOB, `rowscope\\_${db.tag}\\_%`])).map((r) => r.rolname);
}

let one: Db;
let two: Db;

beforeAll(async () => {
  one = await organization(`f5_${suffix}_1`);
  two = await organization(`f5_${suffix}_2`);
  await withClient(adminUrl, (c) => c.query(`alter role ${BOB} password 'x'`));
}, 180_000);

afterAll(async () => {
  for (const db of dbs) {
    await db.pool.end();
    await dropDatabase(adminUrl, db.name);
  }
  // the databases' own roles and the logins they created
  await withClient(adminUrl, async (c) => {
    const { rows } = await c.query(`select quote_ident(rolname) as r from pg_roles where rolname like $1`, [`f5\\_${suffix}\\_%`]);
    const tagged = await c.query(`select quote_ident(rolname) as r from pg_roles where rolname ~ $1`,
      [`^rowscope_(${dbs.map((d) => d.tag).join('|')})_`]);
    for (const { r } of [...rows, ...tagged.rows]) await c.query(`drop role if exists ${r}`);
  });
});

describe('two rowscope databases in one cluster', () => {
  it('each migration drew its own tag, and each database binds its policies to its own class roles', async () => {
    expect(one.tag).toMatch(/^[0-9a-f]{8}$/);
    expect(two.tag).toMatch(/^[0-9a-f]{8}$/);
    expect(one.tag).not.toBe(two.tag);
    for (const db of [one, two]) {
      const roles = (await q(db, `select distinct r.rolname from pg_policy p cross join unnest(p.polroles) x(oid) join pg_roles r on r.oid = x.oid
        where p.polrelid = 'app.account'::regclass order by 1`)).map((r) => r.rolname);
      expect(roles).toContain(`rowscope_${db.tag}_account_org`);
      expect(roles.filter((r) => r.startsWith('rowscope_class_') || /^rowscope_[0-9a-f]{8}_/.test(r) && !r.includes(db.tag))).toEqual([]);
    }
  });

  it('a login that is a user in both sees in each what that database gives it; a class change in one never changes the other', async () => {
    const c1 = await bobLogin(one);
    const c2 = await bobLogin(two);
    try {
      expect(await names(c1)).toEqual(['bobs', 'sales_only']);
      expect(await names(c2)).toEqual(['bobs', 'sales_only']);
      const before = await bobsRoles(one);
      expect(before).toContain(`rowscope_${one.tag}_account_bu`);
      // organization reader in the second database only
      await q(two, `select rowscope.assign_role($1, 'reader_org')`, [two.bob]);
      expect(await bobsRoles(two)).toContain(`rowscope_${two.tag}_account_org`);
      expect(await names(c2)).toEqual(['bobs', 'sales_only', 'service_a', 'service_b']);
      expect(await names(c1)).toEqual(['bobs', 'sales_only']);
      expect(await bobsRoles(one)).toEqual(before);
      // and the other way round: a reduction in the first leaves the second alone
      await q(one, `select rowscope.remove_role($1, 'salesperson')`, [one.bob]);
      expect(await names(c1)).toEqual([]);
      expect(await names(c2)).toEqual(['bobs', 'sales_only', 'service_a', 'service_b']);
      // a migration of the first (the catalog sync refreshes every user) changes nothing in the second
      await q(one, `select rowscope._refresh_all_users()`);
      expect(await names(c2)).toEqual(['bobs', 'sales_only', 'service_a', 'service_b']);
    } finally {
      await c1.end();
      await c2.end();
    }
  });

  it('assign_role in one database does not wait for an open class change in the other', async () => {
    const hold = await one.pool.connect();
    try {
      await hold.query('begin');
      await hold.query(`select rowscope.assign_role($1, 'reader_user')`, [one.bob]); // holds the first database's lock
      const started = Date.now();
      await q(two, `select rowscope.assign_role($1, 'reader_bu')`, [two.bob]);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await hold.query('rollback');
      hold.release();
    }
  });

  it('disabling the user in one database keeps the login for the other; a login of this database only loses LOGIN', async () => {
    await q(two, 'select rowscope.disable_user($1)', [two.bob]);
    const [{ login }] = await q(two, `select rolcanlogin as login from pg_roles where rolname = $1`, [BOB]);
    expect(login).toBe(true);
    const c1 = await bobLogin(one);
    const c2 = await bobLogin(two);
    try {
      expect(await names(c2)).toEqual([]);
      expect((await c2.query('select count(*)::int as n from app.account')).rows[0].n).toBe(0);
      // class none everywhere, no write role: nothing here
      expect(await bobsRoles(two)).toEqual(['account_none', 'contact_none', 'members', 'product_none'].map((r) => `rowscope_${two.tag}_${r}`));
      await q(one, `select rowscope.assign_role($1, 'salesperson')`, [one.bob]);
      expect(await names(c1)).toEqual(['bobs', 'sales_only']);
    } finally {
      await c1.end();
      await c2.end();
    }
    // the other login is a user of the first database only
    const other = `f5_${suffix}_1_other`;
    const [{ id: otherId }] = await q(one, 'select id from rowscope.system_user where db_role = $1', [other]);
    await q(one, 'select rowscope.disable_user($1)', [otherId]);
    expect((await q(one, `select rolcanlogin as login from pg_roles where rolname = $1`, [other]))[0].login).toBe(false);
  });
});
