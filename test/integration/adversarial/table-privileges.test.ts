// F8 (the part PostgreSQL privileges can prevent): at 20fab3e every user held
// table-level UPDATE and DELETE on every model table through rowscope_user, so
// anyone could `LOCK TABLE app.account IN ACCESS EXCLUSIVE MODE` (stopping
// every reader) and read-only users could `SELECT ... FOR UPDATE` (blocking
// writers). Now UPDATE and DELETE are held through the table's per-database
// write roles, which only users who may update / delete there are members of
// (sql/600_ddl_table_roles.sql _bind_table_roles, sql/050_access_classes.sql _may_change).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arena, closeArena, login, snapshot, type Arena } from './fixture.ts';

let a: Arena;
let before: unknown;

beforeAll(async () => {
  a = await arena();
  // a salesperson whose access mode is read: the role would let it write
  await a.org.createUser('read_mode', 'sales', ['salesperson'], 'read');
  before = await snapshot(a);
});
afterAll(async () => {
  expect(await snapshot(a)).toEqual(before);
  await closeArena(a);
});

const ATTEMPTS = [
  'lock table app.account in access exclusive mode',
  'lock table app.account in exclusive mode',
  'lock table api.account in access exclusive mode',
  'select name from app.account for update',
  'select name from app.account for no key update',
  'select name from api.account for update',
  'select name from app.product for update',
  'lock table app.product in access exclusive mode',
];

describe('a user who may not write', () => {
  for (const persona of ['reader', 'read_mode']) {
    it(`${persona} (pooled SET ROLE): 42501 on LOCK ... ACCESS EXCLUSIVE and SELECT ... FOR UPDATE`, async () => {
      for (const text of ATTEMPTS) {
        const err = await a.org.refused(persona, text);
        expect(err.code, text).toBe('42501');
      }
    });
  }
  it('reader (own login): the same, and it still reads', async () => {
    const s = await login(a, 'reader');
    try {
      for (const text of ATTEMPTS) {
        await s.client.query('begin');
        const err = await s.attempt(text);
        await s.client.query('rollback');
        expect(err?.code, text).toBe('42501');
      }
      expect((await s.client.query('select name from api.account order by name')).rows.map((r) => r.name)).toEqual(['mine', 'secret_a', 'secret_b']);
    } finally {
      await s.client.end();
    }
  });
  it('its update and delete are refused too', async () => {
    for (const text of [`update app.account set revenue = 1 where name = 'mine'`, `delete from app.account where name = 'mine'`,
                        `update api.account set revenue = 1 where name = 'mine'`]) {
      expect((await a.org.refused('reader', text)).code, text).toBe('42501');
    }
  });
});

describe('a user who may write', () => {
  it('updates and deletes its own records through the api view and the table, and may lock rows it writes', async () => {
    const c = await a.org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [a.org.role('attacker')]);
      expect((await c.query(`select name from api.account where name = 'mine' for update`)).rows).toEqual([{ name: 'mine' }]);
      expect((await c.query(`update api.account set revenue = 11 where name = 'mine' returning revenue::int as revenue`)).rows).toEqual([{ revenue: 11 }]);
      expect((await c.query(`update app.account set revenue = 12 where name = 'mine' returning revenue::int as revenue`)).rows).toEqual([{ revenue: 12 }]);
      expect((await c.query(`delete from api.account where name = 'mine' returning name`)).rows).toEqual([{ name: 'mine' }]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
  it('losing write takes the table privilege away at the next statement; getting it back returns it', async () => {
    const role = a.org.role('attacker');
    const has = async () => (await a.org.admin(`select has_table_privilege($1, 'app.account', 'delete') as d,
      has_column_privilege($1, 'app.account', 'revenue', 'update') as u`, [role]))[0];
    expect(await has()).toEqual({ d: true, u: true });
    await a.org.admin(`select rowscope.set_access_mode($1, 'read')`, [a.org.id('attacker')]);
    expect(await has()).toEqual({ d: false, u: false });
    expect((await a.org.refused('attacker', 'lock table app.account in access exclusive mode')).code).toBe('42501');
    await a.org.admin(`select rowscope.set_access_mode($1, 'read_write')`, [a.org.id('attacker')]);
    expect(await has()).toEqual({ d: true, u: true });
  });
  it('nobody holds them through rowscope_user any more', async () => {
    const [r] = await a.org.admin(`select has_table_privilege('rowscope_user', 'app.account', 'delete') as d,
      has_table_privilege('rowscope_user', 'app.account', 'update') as t,
      has_any_column_privilege('rowscope_user', 'app.account', 'update') as u`);
    expect(r).toEqual({ d: false, t: false, u: false });
  });
});
