// docs/security-model.md "Audit": change history of the model tables. Insert and delete log
// every audited column, update only the changed ones (old and new), an update
// that changes no audited column logs nothing, assigns get their own row, from
// every path; a refused statement logs nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { history, logSize, verify } from './audit.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createUser('sam', 'root', ['seller']);
  await org.createUser('sue', 'east', ['seller']);
  await org.createUser('cat', 'root', ['catalog_admin']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

async function newAccount(persona: string, name: string, revenue: number): Promise<string> {
  const [row] = await org.as(persona, 'insert into api.account (name, revenue) values ($1, $2) returning id', [name, revenue]);
  return row.id;
}

describe('data table history', () => {
  it('an insert logs every audited column, as the acting user', async () => {
    const id = await newAccount('sam', 'a_insert', 10);
    const rows = await history(org, id);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({ table_name: 'account', action: 'insert', user_id: org.id('sam'), db_role: org.role('sam') });
    expect(Number(row!.txid)).toBeGreaterThan(0);
    expect(row!.changes).toEqual({
      name: { old: null, new: 'a_insert' },
      revenue: { old: null, new: 10 },
      credit_limit: { old: null, new: null },
      owner_id: { old: null, new: org.id('sam') },
      owning_business_unit: { old: null, new: org.bu('root') },
    });
  });

  it('an update logs only the changed columns, old and new', async () => {
    const id = await newAccount('sam', 'a_update', 10);
    await org.as('sam', 'update api.account set revenue = 20, name = name where id = $1', [id]);
    const rows = await history(org, id);
    expect(rows.map((r) => r.action)).toEqual(['insert', 'update']);
    expect(rows[1]!.changes).toEqual({ revenue: { old: 10, new: 20 } });
  });

  it('an update that changes no audited column logs nothing', async () => {
    const id = await newAccount('sam', 'a_noop', 10);
    const before = await logSize(org);
    await org.as('sam', 'update api.account set name = name, revenue = 10 where id = $1', [id]);
    expect(await logSize(org)).toBe(before);
  });

  it('a delete logs every audited column as old values', async () => {
    const id = await newAccount('sam', 'a_delete', 7);
    await org.as('sam', 'delete from api.account where id = $1', [id]);
    const rows = await history(org, id);
    expect(rows.map((r) => r.action)).toEqual(['insert', 'delete']);
    expect(rows[1]!.changes).toMatchObject({ name: { old: 'a_delete', new: null }, revenue: { old: 7, new: null } });
  });

  it('a table audited on listed columns logs only those', async () => {
    const [p] = await org.as('cat', `insert into api.product (name, price) values ('widget', 5) returning id`);
    await org.as('cat', `update api.product set name = 'widget 2' where id = $1`, [p.id]);
    await org.as('cat', 'update api.product set price = 6 where id = $1', [p.id]);
    const rows = await history(org, p.id);
    expect(rows.map((r) => [r.action, r.changes])).toEqual([
      ['insert', { price: { old: null, new: 5 } }],
      ['update', { price: { old: 5, new: 6 } }],
    ]);
  });

  it('direct SQL on the data table is logged like the api view', async () => {
    const id = await newAccount('sam', 'a_direct', 1);
    await org.as('sam', 'update app.account set revenue = 2 where id = $1', [id]);
    const rows = await history(org, id);
    expect(rows[1]).toMatchObject({ action: 'update', user_id: org.id('sam'), changes: { revenue: { old: 1, new: 2 } } });
  });

  it('the deployment administrator is logged with a null user_id and its role', async () => {
    const id = await newAccount('sam', 'a_admin', 1);
    await org.admin('update app.account set revenue = 3 where id = $1', [id]);
    const [, row] = await history(org, id);
    expect(row).toMatchObject({ action: 'update', user_id: null, db_role: 'postgres' });
  });
});

describe('assign', () => {
  it('an owner change is an assign row with the owner and owning BU change', async () => {
    const id = await newAccount('sam', 'a_assign', 1);
    await org.as('sam', `select rowscope.assign('account', $1, $2)`, [id, org.id('sue')]);
    const rows = await history(org, id);
    expect(rows.map((r) => r.action)).toEqual(['insert', 'assign']);
    expect(rows[1]).toMatchObject({ user_id: org.id('sam') });
    expect(rows[1]!.changes).toEqual({
      owner_id: { old: org.id('sam'), new: org.id('sue') },
      owning_business_unit: { old: org.bu('root'), new: org.bu('east') },
    });
  });

  it('other changes in the same update get their own update row', async () => {
    const id = await newAccount('sam', 'a_assign_update', 1);
    await org.admin('update app.account set owner_id = $2, revenue = 9 where id = $1', [id, org.id('sue')]);
    const rows = await history(org, id);
    expect(rows.map((r) => [r.action, Object.keys(r.changes).sort()])).toEqual([
      ['insert', ['credit_limit', 'name', 'owner_id', 'owning_business_unit', 'revenue']],
      ['assign', ['owner_id', 'owning_business_unit']],
      ['update', ['revenue']],
    ]);
  });

  it('is logged on a table that is not audited; its other changes are not', async () => {
    const [c] = await org.as('sam', `insert into api.contact (name) values ('c1') returning id`);
    await org.as('sam', `update api.contact set email = 'c1@example.com' where id = $1`, [c.id]);
    expect(await history(org, c.id)).toEqual([]);
    await org.as('sam', `select rowscope.assign('contact', $1, $2)`, [c.id, org.id('sue')]);
    const rows = await history(org, c.id);
    expect(rows.map((r) => [r.table_name, r.action, r.changes.owner_id])).toEqual([
      ['contact', 'assign', { old: org.id('sam'), new: org.id('sue') }],
    ]);
  });
});

describe('refusals', () => {
  it('a refused insert logs nothing', async () => {
    const before = await logSize(org);
    const refusal = await org.refused('sam', 'insert into api.account (name, owner_id) values ($1, $2)', ['a_refused', org.id('sue')]);
    expect(refusal.code).toBe('42501');
    expect(await logSize(org)).toBe(before);
  });

  it('a transaction that fails later takes its audit rows with it', async () => {
    const before = await logSize(org);
    const c = await org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [org.role('sam')]);
      await c.query(`insert into api.account (name) values ('a_rolled_back')`);
      await expect(c.query('insert into api.account (name, owner_id) values ($1, $2)', ['x', org.id('sue')])).rejects.toMatchObject({ code: '42501' });
      await c.query('rollback');
    } finally {
      c.release();
    }
    expect(await logSize(org)).toBe(before);
  });

  it('leaves a chain that verifies', async () => {
    expect(await verify(org)).toEqual([]);
  });
});
