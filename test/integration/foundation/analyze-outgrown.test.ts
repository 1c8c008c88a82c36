// rowscope._analyze_outgrown (sql/150): the bulk functions re-analyze only the
// tables a load has outgrown (never analyzed with rows, or grown by more than
// a fifth in pages since their last ANALYZE), counting the calling
// transaction's own rows. create_user_logins and grant_access_bulk call it
// (sql/151, 153) instead of analyzing every table at every call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import { withClient } from '../../../src/db/client.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('basic');
  org = new Org(db.url);
  // a scratch table the definer owns (ANALYZE needs the owner)
  await org.admin('create table public.outgrown (x int, pad text)');
  await org.admin('alter table public.outgrown owner to rowscope_definer');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const stats = async () => (await org.admin<{ tuples: number }>(`
  select c.reltuples::int as tuples from pg_class c where c.oid = 'public.outgrown'::regclass`))[0]!.tuples;
const insert = (n: number) => org.admin(`insert into public.outgrown select g, repeat('x', 100) from generate_series(1, $1) g`, [n]);
const analyzeOutgrown = () => org.admin(`select rowscope._analyze_outgrown(array['public.outgrown']::regclass[])`);

describe('_analyze_outgrown', () => {
  it('analyzes a table never analyzed once it has rows, and not again until it grows by more than a fifth', async () => {
    expect(await stats()).toBe(-1);
    await insert(10_000);
    await analyzeOutgrown();
    expect(await stats()).toBe(10_000);
    // 5% more: the statistics still hold
    await insert(500);
    await analyzeOutgrown();
    expect(await stats()).toBe(10_000);
    // half as much again: outgrown
    await insert(5_000);
    await analyzeOutgrown();
    expect(await stats()).toBe(15_500);
  });

  it('counts the calling transaction\'s own rows, as an import in one transaction has them', async () => {
    const tuples = await withClient(db.url, async (c) => {
      await c.query('begin');
      await c.query(`insert into public.outgrown select g, repeat('x', 100) from generate_series(1, 20000) g`);
      await c.query(`select rowscope._analyze_outgrown(array['public.outgrown']::regclass[])`);
      const { rows } = await c.query<{ tuples: number }>(`select reltuples::int as tuples from pg_class where oid = 'public.outgrown'::regclass`);
      await c.query('commit');
      return rows[0]!.tuples;
    });
    expect(tuples).toBe(35_500);
  });
});
