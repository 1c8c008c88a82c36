// SPEC §3 `hierarchyDepth`: a table's own hierarchy depth overrides the
// model's for that table (sql/035_hierarchy.sql _hierarchy_reports_at), in
// reads, writes, check_access and the catalog. Chain mgr <- p1 <- p2 <- p3;
// the model's depth is 2, account's 3, contact's 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const rec: Record<string, string> = {};

beforeAll(async () => {
  db = await securedDatabase('hierarchy_table_depth');
  org = new Org(db.url);
  await org.createBu('root');
  for (const u of ['mgr', 'p1', 'p2', 'p3']) await org.createUser(u, 'root', ['rep']);
  const setManager = (u: string, m: string) => org.admin('select rowscope.set_manager($1, $2)', [org.id(u), org.id(m)]);
  await setManager('p1', 'mgr');
  await setManager('p2', 'p1');
  await setManager('p3', 'p2');
  for (const p of ['p1', 'p2', 'p3']) {
    rec[`account ${p}`] = await org.record('account', `acc ${p}`, p);
    rec[`contact ${p}`] = await org.record('contact', `con ${p}`, p);
  }
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const rights = async (table: string, p: string, user = 'mgr'): Promise<string[]> =>
  (await org.admin<{ r: string[] }>('select rowscope.check_access($1, $2, $3) as r', [table, rec[`${table} ${p}`], org.id(user)]))[0]!.r;

describe('a table\'s own hierarchy depth', () => {
  it('is in the catalog as the model gives it (null: the model\'s depth)', async () => {
    const rows = await org.admin<{ name: string; hierarchy_depth: number | null }>(
      'select name, hierarchy_depth from rowscope.secured_table order by name');
    expect(rows).toEqual([
      { name: 'account', hierarchy_depth: 3 },
      { name: 'contact', hierarchy_depth: 1 },
      { name: 'product', hierarchy_depth: null },
    ]);
  });

  it('account reaches three levels down, past the model\'s depth of 2', async () => {
    expect(await org.visible('mgr', 'account')).toEqual(['acc p1', 'acc p2', 'acc p3']);
    expect(await rights('account', 'p3')).toEqual(['read']);
  });

  it('contact reaches direct reports only, short of the model\'s depth of 2', async () => {
    expect(await org.visible('mgr', 'contact')).toEqual(['con p1']);
    expect(await rights('contact', 'p1')).toEqual(['read', 'write']);
    expect(await rights('contact', 'p2')).toEqual([]);
    // p1 is one level above p2: within contact's depth
    expect(await org.visible('p1', 'contact')).toEqual(['con p1', 'con p2']);
  });

  it('deeper levels still give read only; write stays with direct reports', async () => {
    expect(await rights('account', 'p1')).toEqual(['read', 'write']);
    expect(await rights('account', 'p2')).toEqual(['read']);
    const updated = await org.as('mgr', 'update api.account set name = name where id = $1 returning id', [rec['account p2']]).catch((e) => e);
    expect(updated.code).toBe('42501');
  });

  it('follows a change of the catalog at the next statement', async () => {
    const c = await org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`update rowscope.secured_table set hierarchy_depth = null where name = 'account'`);
      await c.query(`select set_config('role', $1, true)`, [org.role('mgr')]);
      const { rows } = await c.query<{ name: string }>('select name from api.account order by name');
      expect(rows.map((r) => r.name)).toEqual(['acc p1', 'acc p2']);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
});
