// The per-column readers of secured columns (sql/620_ddl_api_view.sql) are
// definer functions rowscope_user may execute: rebuilding the api view after a
// model change un-secures a column, or after the application drops one, leaves
// no reader behind, and releasing the table drops them all
// (rowscope._drop_secured_readers, sql/310_field_access.sql).
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, fields, type Fields } from './setup.ts';

let f: Fields;
beforeAll(async () => { f = await fields(); });
afterAll(() => close(f));

type Query = (text: string, values?: unknown[]) => Promise<any[]>;
const readersOfIn = async (q: Query, table: string) => (await q(
  `select p.proname::text as name from pg_proc p
   where p.pronamespace = 'rowscope'::regnamespace and p.prosecdef and p.proname like 'field\\_%' and p.prosrc like '%_can_read_field(' || quote_literal($1) || ', %'
   order by 1`, [table])).map((r) => r.name as string);
const readersOf = (table: string) => readersOfIn((t, v) => f.org.admin(t, v), table);
const readerOf = async (table: string, column: string) =>
  (await f.org.admin<{ name: string }>('select rowscope._secured_reader_name($1, $2) as name', [table, column]))[0]!.name;

describe('secured column readers', () => {
  it('exist for the secured columns only', async () => {
    const expected = await Promise.all(['bonus', 'salary', 'ssn'].map((c) => readerOf('employee', c)));
    expect(await readersOf('employee')).toEqual([...expected].sort());
  });

  it('go when a rebuild no longer secures a column, or the application dropped it', async () => {
    // one transaction, rolled back: the other tests' view stays as built
    const client: pg.PoolClient = await f.org.pool.connect();
    const q: Query = async (text, values) => (await client.query(text, values)).rows;
    await q('begin');
    try {
      await q("select rowscope._build_api_view('app', 'employee', 'api', array['salary', 'bonus'])");
      expect(await readersOfIn(q, 'employee')).toEqual([await readerOf('employee', 'bonus'), await readerOf('employee', 'salary')].sort());
      await q('drop view api.employee');
      await q('alter table app.employee drop column bonus');
      await q("select rowscope._build_api_view('app', 'employee', 'api', array['salary'])");
      expect(await readersOfIn(q, 'employee')).toEqual([await readerOf('employee', 'salary')]);
      await q("select rowscope._release_table('app', 'employee', 'api')");
      expect(await readersOfIn(q, 'employee')).toEqual([]);
    } finally {
      await q('rollback');
      client.release();
    }
    expect(await readersOf('employee')).toHaveLength(3);
  });
});
