// rowsecurity.sql "prepared statements across SET ROLE": a statement prepared
// as one user and executed after switching to another must answer for the
// executing role (policies are chosen per role; the access sets per statement),
// also after its plan has gone generic (more than 5 executions).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arena, closeArena, login, snapshot, type Arena } from './fixture.ts';

let a: Arena;
let before: unknown;

beforeAll(async () => {
  a = await arena();
  before = await snapshot(a);
});
afterAll(async () => {
  expect(await snapshot(a)).toEqual(before);
  await closeArena(a);
});

const names = async (c: pg.PoolClient, q: pg.QueryConfig) => (await c.query(q)).rows.map((r) => r.name).sort();

describe('one session switching roles (as a pooled server connection does)', () => {
  for (const table of ['app.account', 'api.account']) {
    it(`a statement prepared by the reader on ${table}, executed as the attacker`, async () => {
      const c = await a.org.pool.connect();
      const q = { name: `p_${table.replace('.', '_')}`, text: `select name from ${table}` };
      try {
        await c.query('begin');
        await c.query(`select set_config('role', $1, true)`, [a.org.role('reader')]);
        for (let i = 0; i < 7; i++) expect(await names(c, q)).toEqual(['mine', 'secret_a', 'secret_b']);
        await c.query(`select set_config('role', $1, true)`, [a.org.role('attacker')]);
        for (let i = 0; i < 7; i++) expect(await names(c, q)).toEqual(['mine']);
        await c.query(`select set_config('role', $1, true)`, [a.org.role('victim')]);
        expect(await names(c, q)).toEqual(['secret_a', 'secret_b']);
        await c.query(`select set_config('role', $1, true)`, [a.org.role('reader')]);
        expect(await names(c, q)).toEqual(['mine', 'secret_a', 'secret_b']);
      } finally {
        await c.query('rollback');
        c.release();
      }
    });
  }
  it('an SQL-level PREPARE with a parameter, and the masked column through the view', async () => {
    const c = await a.org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [a.org.role('reader')]);
      await c.query('prepare peek(uuid) as select name, credit_limit from api.account where id = $1 or $1 is null');
      for (let i = 0; i < 7; i++) expect((await c.query('execute peek(null)')).rows).toHaveLength(3);
      await c.query(`select set_config('role', $1, true)`, [a.org.role('attacker')]);
      expect((await c.query(`execute peek('${a.ids.secret_a}')`)).rows).toEqual([]);
      expect((await c.query('execute peek(null)')).rows).toEqual([{ name: 'mine', credit_limit: null }]);
      await c.query('deallocate peek');
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
  it('a prepared update by the victim, executed as the attacker, changes nothing', async () => {
    const c = await a.org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [a.org.role('victim')]);
      const upd = { name: 'upd', text: `update app.account set revenue = revenue where name like 'secret%' returning name` };
      for (let i = 0; i < 6; i++) expect((await c.query(upd)).rows).toHaveLength(2);
      await c.query(`select set_config('role', $1, true)`, [a.org.role('attacker')]);
      expect((await c.query(upd)).rows).toEqual([]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
});

describe("the user's own login", () => {
  it('cannot switch to another user to run its prepared statement there', async () => {
    const s = await login(a, 'attacker');
    try {
      const q = { name: 'mine_only', text: 'select name from app.account' };
      for (let i = 0; i < 7; i++) expect((await s.client.query(q)).rows).toEqual([{ name: 'mine' }]);
      expect((await s.attempt(`set role ${a.org.role('reader')}`))?.code).toBe('42501');
      expect((await s.client.query(q)).rows).toEqual([{ name: 'mine' }]);
    } finally {
      await s.client.end();
    }
  });
});
