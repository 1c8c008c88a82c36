// rowscope import (docs/reference.md): an organization loaded from JSON or CSV answers
// check_access exactly as the same organization built one call at a time;
// bad input is refused before anything is written, naming the file, the item
// and the problem; a refusal by the database leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { securedDatabase } from '../../support/secured.ts';
import { errorLines, hasStackTrace, runCli } from './run-cli.ts';

const tag = `t${randomBytes(3).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'rowscope-import-'));
let imported: TestDatabase;
let oneByOne: TestDatabase;
let a: pg.Pool;
let b: pg.Pool;

const PERSONAS = ['boss', 'alice', 'bob', 'carol', 'dave'];
const roleA = (p: string) => `${tag}a_${p}`;
const roleB = (p: string) => `${tag}b_${p}`;

/** The organization, as the import file has it (users by db_role, BUs and teams by name). */
const organization = {
  business_units: [
    { name: 'EMEA', parent: 'Sales' }, // before its parent: the import orders them
    { name: 'Org' },
    { name: 'Sales', parent: 'Org' },
    { name: 'Service', parent: 'Org' },
  ],
  users: [
    { db_role: roleA('boss'), business_unit: 'Sales' },
    { db_role: roleA('alice'), business_unit: 'EMEA', manager: roleA('boss') },
    { db_role: roleA('bob'), business_unit: 'Sales', manager: roleA('boss'), access_mode: 'read' },
    { db_role: roleA('carol'), business_unit: 'Service' },
    { db_role: roleA('dave'), business_unit: 'Service' },
  ],
  teams: [{ name: 'Enterprise', business_unit: 'Sales' }, { name: 'Helpers', business_unit: 'Service', team_type: 'owner' }],
  memberships: [{ team: 'Enterprise', user: roleA('alice') }, { team: 'Enterprise', user: roleA('carol') }, { team: 'Helpers', user: roleA('dave') }],
  roles: [
    { user: roleA('alice'), role: 'salesperson' },
    { user: roleA('bob'), role: 'reader_bu' },
    { user: roleA('boss'), role: 'sales_manager' },
    { user: roleA('carol'), role: 'salesperson' },
    { user: roleA('dave'), role: 'salesperson' },
    { team: 'Enterprise', role: 'reader_deep', inheritance: 'direct_user_and_team' },
    { team: 'Helpers', role: 'reader_bu' },
    // a business unit's default team (named after it) holds roles too
    { team: 'Service', role: 'reader_user' },
  ],
};

/** Records with fixed ids, the same in both databases: [id, table, owner persona, parent account]. */
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const RECORDS: [string, 'account' | 'contact', string, string | null][] = [
  [uuid(1), 'account', 'alice', null], [uuid(2), 'account', 'carol', null], [uuid(3), 'account', 'dave', null],
  [uuid(4), 'account', 'boss', null], [uuid(5), 'contact', 'alice', uuid(1)], [uuid(6), 'contact', 'carol', uuid(2)],
  [uuid(7), 'contact', 'dave', uuid(3)],
];
const SHARES = [
  { table: 'account', record_id: uuid(1), team: 'Helpers', rights: ['read'] },
  { table: 'account', record_id: uuid(2), user: 'bob', rights: ['read', 'write'] },
  { table: 'account', record_id: uuid(2), user: 'bob', rights: ['share'] },
  { table: 'account', record_id: uuid(3), user: 'alice', rights: ['read', 'delete'] },
  { table: 'contact', record_id: uuid(5), user: 'carol', rights: ['write'] },
];

async function insertRecords(pool: pg.Pool, role: (p: string) => string): Promise<void> {
  for (const [id, table, owner, parent] of RECORDS) {
    const { rows: [u] } = await pool.query('select id from rowscope.system_user where db_role = $1', [role(owner)]);
    if (table === 'account') await pool.query('insert into app.account (id, name, owner_id) values ($1, $2, $3)', [id, `acc ${id.slice(-2)}`, u.id]);
    else await pool.query('insert into app.contact (id, name, owner_id, account_id) values ($1, $2, $3, $4)', [id, `con ${id.slice(-2)}`, u.id, parent]);
  }
}

/** The same organization through the single functions, in the other database. */
async function buildOneByOne(): Promise<void> {
  const q = async (text: string, values: unknown[]) => (await b.query(text, values)).rows[0];
  const bus = new Map<string, string>();
  for (const bu of [organization.business_units[1]!, organization.business_units[2]!, organization.business_units[0]!, organization.business_units[3]!]) {
    bus.set(bu.name, (await q('select rowscope.create_business_unit($1, $2) as id', [bu.name, bu.parent ? bus.get(bu.parent) : null])).id);
  }
  const users = new Map<string, string>();
  for (const u of organization.users) {
    const p = u.db_role.slice(roleA('').length);
    users.set(p, (await q('select rowscope.create_user($1, $2, null, $3) as id', [roleB(p), bus.get(u.business_unit), u.access_mode ?? 'read_write'])).id);
  }
  await q('select rowscope.set_manager($1, $2)', [users.get('alice'), users.get('boss')]);
  await q('select rowscope.set_manager($1, $2)', [users.get('bob'), users.get('boss')]);
  const teams = new Map<string, string>();
  for (const t of organization.teams) teams.set(t.name, (await q('select rowscope.create_team($1, $2, $3) as id', [t.name, bus.get(t.business_unit), t.team_type ?? 'owner'])).id);
  for (const m of organization.memberships) await q('select rowscope.add_team_member($1, $2)', [teams.get(m.team), users.get(m.user.slice(roleA('').length))]);
  for (const r of organization.roles) {
    const principal = r.user ? users.get(r.user.slice(roleA('').length))
      : teams.get(r.team!) ?? (await q('select id from rowscope.team where name = $1 and is_default', [r.team])).id;
    await q('select rowscope.assign_role($1, $2, null, $3)', [principal, r.role, r.inheritance ?? 'team_only']);
  }
  await insertRecords(b, roleB);
  for (const s of SHARES) {
    await q('select rowscope.grant_access($1, $2, $3, $4)', [s.table, s.record_id, s.user ? users.get(s.user) : teams.get(s.team!), s.rights]);
  }
}

async function accessMatrix(pool: pg.Pool, role: (p: string) => string): Promise<Record<string, unknown>> {
  const matrix: Record<string, unknown> = {};
  for (const p of PERSONAS) {
    const { rows: [u] } = await pool.query('select id from rowscope.system_user where db_role = $1', [role(p)]);
    for (const [id, table] of RECORDS) {
      const { rows: [r] } = await pool.query('select rowscope.check_access($1, $2, $3) as rights', [table, id, u.id]);
      matrix[`${p} ${table} ${id.slice(-2)}`] = r.rights;
    }
    // and what the api views show the user's own login (their access classes)
    const c = await pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [role(p)]);
      for (const table of ['account', 'contact']) {
        matrix[`${p} sees ${table}`] = (await c.query(`select name from api.${table} order by name`)).rows.map((r) => r.name);
      }
    } finally {
      await c.query('rollback');
      c.release();
    }
  }
  return matrix;
}

const state = async (pool: pg.Pool) => (await pool.query(`
  select (select count(*) from rowscope.business_unit)::int as bus, (select count(*) from rowscope.system_user)::int as users,
         (select count(*) from rowscope.team)::int as teams, (select count(*) from rowscope.team_member)::int as members,
         (select count(*) from rowscope.role_assignment)::int as roles, (select count(*) from rowscope.record_share)::int as shares,
         (select count(*) from rowscope.audit_log)::int as audit, (select count(*) from pg_roles where rolname like $1)::int as logins`,
  [`${tag}%`])).rows[0];

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

beforeAll(async () => {
  [imported, oneByOne] = await Promise.all([securedDatabase('basic'), securedDatabase('basic')]);
  a = new pg.Pool({ connectionString: imported.url, max: 2 });
  b = new pg.Pool({ connectionString: oneByOne.url, max: 2 });
  a.on('error', () => {});
  b.on('error', () => {});
  await buildOneByOne();
});
afterAll(async () => {
  await a?.end();
  await b?.end();
  await imported?.drop();
  await oneByOne?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('rowscope import', () => {
  it('refuses bad input before touching the database, one line per problem naming the file and the item', async () => {
    const before = await state(a);
    const bad = file('bad.json', {
      users: [{ db_role: roleA('x'), business_unit: 'Sales' }, { db_role: roleA('y') }],
      shares: [{ table: 'account', record_id: uuid(1), user: roleA('x'), rights: ['fly'] }],
    });
    const run = await runCli(['import', bad], { databaseUrl: imported.url });
    expect(run.code).toBe(1);
    expect(hasStackTrace(run.stderr)).toBe(false);
    const lines = errorLines(run);
    expect(lines).toContain(`rowscope: ${bad}: users[1].business_unit: Invalid input: expected string, received undefined`);
    expect(lines.some((l) => l.startsWith(`rowscope: ${bad}: shares[0].rights.0: `))).toBe(true);
    // names that resolve nowhere are found before anything is written, too
    const dangling = file('dangling.json', { business_units: [{ name: 'Lost', parent: 'Nowhere' }], memberships: [{ team: 'Nope', user: 'nobody' }] });
    const run2 = await runCli(['import', dangling], { databaseUrl: imported.url });
    expect(run2.code).toBe(1);
    expect(errorLines(run2)).toEqual([
      `rowscope: ${dangling}: business_units[0].parent: no business unit named 'Nowhere'`,
      `rowscope: ${dangling}: memberships[0].user: no user nobody`,
      `rowscope: ${dangling}: memberships[0].team: no team named 'Nope'`,
    ]);
    expect(await state(a)).toEqual(before);
  });

  it('loads the organization in one transaction with a progress line per kind', async () => {
    const run = await runCli(['import', file('org.json', organization)], { databaseUrl: imported.url });
    expect(run.stderr).not.toMatch(/rowscope: /);
    expect(run.code).toBe(0);
    for (const kind of ['business_units: 4 in', 'users: 5 in', 'teams: 2 in', 'memberships: 3 in', 'roles: 8 in']) {
      expect(run.stderr).toContain(kind);
    }
    expect(run.stdout).toMatch(/^imported 4 business units, 5 users, 2 teams, 3 memberships, 8 roles \(22 rows in /);
    const { rows } = await a.query(`select u.db_role, m.db_role as manager, b.name as bu, u.access_mode from rowscope.system_user u
      join rowscope.business_unit b on b.id = u.business_unit_id left join rowscope.system_user m on m.id = u.manager_id order by u.db_role`);
    expect(rows).toContainEqual({ db_role: roleA('bob'), manager: roleA('boss'), bu: 'Sales', access_mode: 'read' });
  });

  it('a refusal by the database names the item and leaves nothing behind, audit included', async () => {
    await insertRecords(a, roleA);
    const before = await state(a);
    const missing = uuid(99);
    const path = file('refused.json', {
      business_units: [{ name: 'Late', parent: 'Org' }],
      users: [{ db_role: roleA('late'), business_unit: 'Late' }],
      shares: [
        { table: 'account', record_id: uuid(1), user: roleA('late'), rights: ['read'] },
        { table: 'account', record_id: missing, user: roleA('late'), rights: ['read'] },
      ],
    });
    const run = await runCli(['import', path], { databaseUrl: imported.url });
    expect(run.code).toBe(1);
    expect(errorLines(run).filter((l) => l.startsWith('rowscope:'))).toEqual([`rowscope: ${path}: shares[1].record_id: no such record ${missing} in account [SQLSTATE 22023]`]);
    expect(await state(a)).toEqual(before);
  });

  it('shares from a folder of CSVs; the result answers check_access exactly as the one-by-one organization', async () => {
    const folder = join(dir, 'shares-csv');
    mkdirSync(folder);
    writeFileSync(join(folder, 'shares.csv'), ['table,record_id,user,team,rights',
      ...SHARES.map((s) => `${s.table},${s.record_id},${s.user ? roleA(s.user) : ''},${s.team ?? ''},"${s.rights.join(' ')}"`)].join('\r\n'));
    const run = await runCli(['import', folder], { databaseUrl: imported.url });
    expect(run.stderr).not.toMatch(/rowscope: /);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/shares: 5 in [0-9.]+ s/);
    const [got, want] = [await accessMatrix(a, roleA), await accessMatrix(b, roleB)];
    expect(got).toEqual(want);
    // the organization is not trivial: shares, teams, hierarchy and depth all show
    expect(want['bob account 02']).toEqual(['read']);
    expect(want['dave account 01']).toEqual(['read']);
    expect(want['bob sees account']).toEqual(['acc 02', 'acc 04']);
    expect(want['alice sees contact']).toEqual(['con 05', 'con 07']); // con 07 through the share's cascade
    const shares = async (pool: pg.Pool) => (await pool.query(`select table_name, record_id, rights, inherited_from_record from rowscope.record_share
      order by table_name, record_id, rights`)).rows;
    expect(await shares(a)).toEqual(await shares(b));
  });

  it('names the CSV file and line of a bad row', async () => {
    const folder = join(dir, 'bad-csv');
    mkdirSync(folder);
    writeFileSync(join(folder, 'users.csv'), `db_role,business_unit\n${roleA('ok')},Sales\n${roleA('bad')},\n`);
    const run = await runCli(['import', folder], { databaseUrl: imported.url });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toEqual([`rowscope: ${join(folder, 'users.csv')} line 3 column business_unit: Invalid input: expected string, received undefined`]);
  });
});
