// Direct SQL on app.* (docs/reference.md: an analyst's own login): the data tables give
// the same rows as the api views, and a secured column is out of reach in every
// clause — select, where, order by, group by, returning, functions of the row.
import { describe, expect, it } from 'vitest';
import { guardedArena } from './fixture.ts';

const t = guardedArena();

describe('a secured column on the data table', () => {
  const reads = [
    'select credit_limit from app.account',
    'select * from app.account',
    'select a from app.account a',
    'select to_jsonb(a) from app.account a',
    'select row_to_json(a.*) from app.account a',
    'select name from app.account where credit_limit > 1000',
    'select name from app.account where credit_limit is null',
    'select name from app.account order by credit_limit desc limit 1',
    'select count(*) from app.account group by credit_limit',
    'select name from app.account where (name, credit_limit) = (name, 5000017)',
    'select max(credit_limit) from app.account',
    'select name from app.account natural join (select 5000017::numeric as credit_limit) x',
  ];
  for (const text of reads) {
    it(`is refused to an organization reader: ${text}`, async () => {
      const err = await t.arena.org.refused('reader', text);
      expect(err.code).toBe('42501');
      expect(err.message).toMatch(/permission denied/);
    });
  }
  it('cannot be written on the data table without a profile (42501 naming the column)', async () => {
    for (const [text, values] of [
      ['update app.account set credit_limit = 1 where id = $1', [t.arena.ids.mine]],
      ['insert into app.account (name, credit_limit) values ($1, 1)', ['x']],
      ['update api.account set credit_limit = 1 where id = $1', [t.arena.ids.mine]],
      ['insert into api.account (name, credit_limit) values ($1, 1)', ['x']],
    ] as [string, unknown[]][]) {
      const err = await t.arena.org.refused('attacker', text, values);
      expect(err.code, text).toBe('42501');
    }
  });
  it('an update that does not set it keeps its stored value (and returns it masked)', async () => {
    const c = await t.arena.org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [t.arena.org.role('attacker')]);
      const rows = (await c.query(`update api.account set revenue = 11 where id = $1 returning credit_limit`, [t.arena.ids.mine])).rows;
      expect(rows).toEqual([{ credit_limit: null }]);
      await c.query('reset role');
      expect((await c.query('select credit_limit from app.account where id = $1', [t.arena.ids.mine])).rows).toEqual([{ credit_limit: '1110023' }]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
});

describe('the other columns', () => {
  it('the data table and the api view give the same rows to every persona', async () => {
    for (const persona of ['attacker', 'victim', 'reader']) {
      const direct = await t.arena.org.as(persona, 'select id, name, revenue, owner_id from app.account order by id');
      const view = await t.arena.org.as(persona, 'select id, name, revenue, owner_id from api.account order by id');
      expect(direct, persona).toEqual(view);
    }
    expect(await t.arena.org.as('attacker', 'select name from app.account')).toEqual([{ name: 'mine' }]);
  });
  it('system columns of an unreadable row are absent too (owner, BU, timestamps)', async () => {
    const rows = await t.arena.org.as('attacker', `select owner_id, owning_business_unit, created_on from app.account where id = $1`, [t.arena.ids.secret_a]);
    expect(rows).toEqual([]);
  });
  it('the security catalog is closed: shares, users, role assignments', async () => {
    for (const table of ['record_share', 'system_user', 'role_assignment', 'team_member', 'business_unit']) {
      const err = await t.arena.org.refused('attacker', `select * from rowscope.${table}`);
      expect(err.code, table).toBe('42501');
    }
  });
});
