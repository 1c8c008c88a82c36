// rowsecurity.sql "leaky functions and operators": a user-defined function in
// pg_temp that RAISEs NOTICE its argument, put in a WHERE clause. Policies are
// security barriers, so the function must only ever see rows the user may read;
// secured columns reach it masked (api) or not at all (app: no column privilege).
import { describe, expect, it } from 'vitest';
import { attackEachTest, expectNoSecret, login } from './fixture.ts';

const t = attackEachTest(async (attacker) => {
  // cost near zero: the planner would love to run it first
  await attacker.client.query(`create function pg_temp.leak(text) returns boolean language plpgsql cost 0.0000001
    as $$ begin raise notice 'leak %', $1; return true; end $$`);
  await attacker.client.query(`create function pg_temp.leak2(text, text) returns boolean language plpgsql cost 0.0000001
    as $$ begin raise notice 'leak2 % %', $1, $2; return true; end $$`);
  await attacker.client.query('create operator pg_temp.<<< (procedure = pg_temp.leak2, leftarg = text, rightarg = text)');
});

const notices = () => t.attacker.notices.filter((n) => n.startsWith('leak'));

describe('a leaky function in WHERE sees only readable rows', () => {
  for (const table of ['api.account', 'app.account']) {
    it(`on ${table}`, async () => {
      const rows = (await t.attacker.client.query(`select name from ${table} where pg_temp.leak(name)`)).rows;
      expect(rows).toEqual([{ name: 'mine' }]);
      expect(notices()).toEqual(['leak mine']);
    });
    it(`on ${table}, every column at once and in a join`, async () => {
      await t.attacker.client.query(`select a.id from ${table} a join app.contact c on pg_temp.leak(a.name || c.name || a.id::text || c.account_id::text)`);
      await t.attacker.client.query(`select id from ${table} where pg_temp.leak(row(id, name, revenue, owner_id, owning_business_unit)::text)`);
      expectNoSecret(t.attacker.notices.join('\n'));
      expect(t.attacker.notices.join('\n')).not.toContain(t.arena.ids.secret_a);
    });
    it(`through a leaky operator on ${table}`, async () => {
      const rows = (await t.attacker.client.query(`select name from ${table} where name operator(pg_temp.<<<) 'x'`)).rows;
      expect(rows).toEqual([{ name: 'mine' }]);
      expect(notices()).toEqual(['leak2 mine x']);
    });
    it(`an error message (a failing cast) shows only readable rows on ${table}`, async () => {
      const err = await t.attacker.attempt(`select name from ${table} where name::int = 1`);
      expect(err?.code).toBe('22P02');
      expect(err?.message).toContain('"mine"');
      expectNoSecret(err!.message);
    });
  }
  it('in a subquery, a lateral join and an aggregate filter', async () => {
    await t.attacker.client.query(`select (select count(*) from app.account where pg_temp.leak(name))`);
    await t.attacker.client.query(`select x from app.product, lateral (select name from api.account where pg_temp.leak(name)) x`);
    await t.attacker.client.query(`select count(*) filter (where pg_temp.leak(name)) from app.account`);
    expect(new Set(notices())).toEqual(new Set(['leak mine']));
  });
});

describe('secured columns', () => {
  it('reach a leaky function masked through the api view, even for an organization reader', async () => {
    await t.attacker.client.end();
    t.attacker = await login(t.arena, 'reader'); // this test's attacker is the reader (closed after it like any)
    await t.attacker.client.query(`create function pg_temp.leak(text) returns boolean language plpgsql cost 0.0000001
      as $$ begin raise notice 'leak %', $1; return true; end $$`);
    const rows = (await t.attacker.client.query(`select name from api.account where pg_temp.leak(coalesce(credit_limit::text, 'null')) order by name`)).rows;
    expect(rows.map((r) => r.name)).toEqual(['mine', 'secret_a', 'secret_b']);
    expect(notices()).toEqual(['leak null', 'leak null', 'leak null']);
  });
  it('cannot be read from the data table at all, in WHERE or as a function argument', async () => {
    for (const text of [
      'select name from app.account where pg_temp.leak(credit_limit::text)',
      'select name from app.account where credit_limit > 1000',
      'select pg_temp.leak(a::text) from app.account a',
      'select name from app.account order by credit_limit',
    ]) {
      const err = await t.attacker.attempt(text);
      expect(err?.code, text).toBe('42501');
    }
    expect(notices()).toEqual([]);
  });
  it('a masked column filters like null in the api view (no oracle on the stored value)', async () => {
    const rows = (await t.attacker.client.query('select name from api.account where credit_limit is null')).rows;
    expect(rows).toEqual([{ name: 'mine' }]);
    expect((await t.attacker.client.query('select count(*)::int as n from api.account where credit_limit > 0')).rows).toEqual([{ n: 0 }]);
  });
});
