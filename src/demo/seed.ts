// Seeds the Contoso demo organization into a database migrated with
// migrations/ (the app tables and the generated rowscope migration): the BU
// tree, the demo users and their roles, accounts with contacts, products,
// employees, then positions, teams, profiles, shares (seed-access.ts).
// Everything runs in one transaction as the deployment administrator, through
// the SQL API of docs/reference.md, so an interrupted seed leaves nothing behind.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { allowActingAsUsers } from '../db/act-as-users.ts';
import { quoteIdentifier } from '../sql/index.ts';
import { BUSINESS_UNITS, DEMO_PASSWORD, DEMO_USERS, type DemoUser } from './organization.ts';
import { PRODUCTS, sampleAccounts, sampleEmployees } from './sample-data.ts';
import { seedAccess, type SeededIds } from './seed-access.ts';

export type SeedState = 'empty' | 'seeded' | 'foreign';

/** Whether the database holds nothing yet, the demo, or someone else's organization. */
export async function seedState(client: pg.ClientBase): Promise<SeedState> {
  const { rows } = await client.query<{ root: string | null; users: number }>(
    `select (select name from rowscope.business_unit where parent_id is null) as root,
            (select count(*)::int from rowscope.system_user where db_role = any ($1)) as users`,
    [DEMO_USERS.map((u) => u.role)]);
  const { root, users } = rows[0]!;
  if (root === null) return 'empty';
  return root === BUSINESS_UNITS[0]![0] && users === DEMO_USERS.length ? 'seeded' : 'foreign';
}

const BATCH = 100;

async function insertAccounts(client: pg.ClientBase, userIds: Map<string, string>, say: (line: string) => void) {
  const accounts = sampleAccounts(DEMO_USERS).map((a) => ({ ...a, id: randomUUID() }));
  for (let i = 0; i < accounts.length; i += BATCH) {
    const batch = accounts.slice(i, i + BATCH);
    const col = <T>(f: (a: (typeof accounts)[number]) => T) => batch.map(f);
    await client.query(
      `insert into app.account (id, name, industry, city, country, phone, website, annual_revenue, credit_limit, owner_id)
       select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::uuid[])`,
      [col((a) => a.id), col((a) => a.name), col((a) => a.industry), col((a) => a.city), col((a) => a.country), col((a) => a.phone),
        col((a) => a.website), col((a) => a.annualRevenue), col((a) => a.creditLimit), col((a) => userIds.get(a.owner))]);
    say(`  accounts ${Math.min(i + BATCH, accounts.length)}/${accounts.length}`);
  }
  const contacts = accounts.flatMap((a) => a.contacts.map((c) => ({ ...c, accountId: a.id, owner: userIds.get(a.owner) })));
  for (let i = 0; i < contacts.length; i += BATCH) {
    const batch = contacts.slice(i, i + BATCH);
    const col = <T>(f: (c: (typeof contacts)[number]) => T) => batch.map(f);
    await client.query(
      `insert into app.contact (name, job_title, email, phone, account_id, owner_id)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[])`,
      [col((c) => c.name), col((c) => c.jobTitle), col((c) => c.email), col((c) => c.phone), col((c) => c.accountId), col((c) => c.owner)]);
    say(`  contacts ${Math.min(i + BATCH, contacts.length)}/${contacts.length}`);
  }
  const ids = new Map<string, string[]>();
  for (const a of accounts) ids.set(a.owner, [...(ids.get(a.owner) ?? []), a.id]);
  return { accounts: accounts.length, contacts: contacts.length, ids };
}

/** One employee record per demo user, owned by them (annual_income is secured: the administrator may set it). */
async function insertEmployees(client: pg.ClientBase, userIds: Map<string, string>): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const e of sampleEmployees(DEMO_USERS)) {
    const { rows } = await client.query<{ id: string }>(
      `insert into app.employee (name, job_title, department, email, hire_date, annual_income, owner_id)
       values ($1, $2, $3, $4, $5, $6, $7) returning id`,
      [e.name, e.jobTitle, e.department, e.email, e.hireDate, e.annualIncome, userIds.get(e.owner)]);
    ids.set(e.owner, rows[0]!.id);
  }
  return ids;
}

export interface SeedOptions {
  url: string;
  /** progress lines */
  say?: (line: string) => void;
  /** give every demo login the password DEMO_PASSWORD (only for a local, loopback-only server) */
  passwords?: boolean;
}

/** Seeds the demo; false when it was there already. Refuses a database holding another organization. */
export async function seedContoso(opts: SeedOptions): Promise<boolean> {
  const say = opts.say ?? (() => {});
  const client = new pg.Client({ connectionString: opts.url });
  client.on('error', () => {});
  await client.connect();
  try {
    const state = await seedState(client);
    if (state === 'seeded') return false;
    if (state === 'foreign') {
      throw new Error('rowscope: this database holds another organization (or a half-made demo); use an empty database, or `rowscope demo --reset` for the embedded one');
    }
    await client.query('begin');
    try {
      say(`seeding Contoso: ${BUSINESS_UNITS.length} business units`);
      const bus = new Map<string, string>();
      for (const [name, parent] of BUSINESS_UNITS) {
        const { rows } = await client.query<{ id: string }>('select rowscope.create_business_unit($1, $2) as id', [name, parent === null ? null : bus.get(parent)]);
        bus.set(name, rows[0]!.id);
      }
      say(`  ${DEMO_USERS.length} users and their roles`);
      const users = new Map<string, string>();
      for (const user of DEMO_USERS) {
        const { rows } = await client.query<{ id: string }>('select rowscope.create_user($1, $2) as id', [user.role, bus.get(user.businessUnit)]);
        users.set(user.role, rows[0]!.id);
        for (const role of user.roles) await client.query('select rowscope.assign_role($1, $2)', [rows[0]!.id, role]);
        if (opts.passwords) await client.query(`alter role ${quoteIdentifier(user.role)} password ${client.escapeLiteral(DEMO_PASSWORD)}`);
      }
      say(`  ${PRODUCTS.length} products`);
      for (const p of PRODUCTS) {
        await client.query('insert into app.product (name, sku, list_price, description) values ($1, $2, $3, $4)', [p.name, p.sku, p.listPrice, p.description]);
      }
      const counts = await insertAccounts(client, users, say);
      say(`  ${DEMO_USERS.length} employees`);
      const employees = await insertEmployees(client, users);
      const ids: SeededIds = { businessUnits: bus, users, accounts: counts.ids, employees };
      await seedAccess(client, ids, say);
      // seedAccess adds a contact of its own
      const { rows: [contacts] } = await client.query<{ n: number }>('select count(*)::int as n from app.contact');
      await client.query('commit');
      say(`seeded: ${counts.accounts} accounts, ${contacts!.n} contacts, ${employees.size} employees`);
      return true;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  } finally {
    await client.end().catch(() => {});
  }
}

export interface UserSummary extends DemoUser {
  id: string;
  /** what `select count(*) from api.account` returns for them */
  visibleAccounts: number;
  visibleContacts: number;
  visibleEmployees: number;
  /** employee rows whose annual_income they read (masked ones read as NULL) */
  visibleSalaries: number;
}

/** Each demo user with what they see, asked of the database as that user. */
export async function summarize(url: string): Promise<UserSummary[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ db_role: string; id: string }>('select db_role, id from rowscope.system_user where db_role = any ($1)', [DEMO_USERS.map((u) => u.role)]);
    const ids = new Map(rows.map((r) => [r.db_role, r.id]));
    const out: UserSummary[] = [];
    for (const user of DEMO_USERS) {
      await client.query('begin');
      try {
        // rolled back below, with whatever it granted (src/db/act-as-users.ts)
        await allowActingAsUsers(client);
        await client.query("select set_config('role', $1, true)", [user.role]);
        const { rows: seen } = await client.query<{ accounts: number; contacts: number; employees: number; salaries: number }>(
          `select (select count(*)::int from api.account) as accounts, (select count(*)::int from api.contact) as contacts,
                  (select count(*)::int from api.employee) as employees, (select count(annual_income)::int from api.employee) as salaries`);
        const s = seen[0]!;
        out.push({ ...user, id: ids.get(user.role) ?? '', visibleAccounts: s.accounts, visibleContacts: s.contacts, visibleEmployees: s.employees, visibleSalaries: s.salaries });
      } finally {
        await client.query('rollback');
      }
    }
    return out;
  } finally {
    await client.end().catch(() => {});
  }
}
