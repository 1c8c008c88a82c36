// The audit chain for bulk writes (sql/200_audit_log.sql, sql/205_audit_append_only.sql):
// a transaction's rows are chained at commit by one set-based step (a running
// sha256 aggregate and one UPDATE) that must give every row the hash the
// per-row definition (rowscope._audit_hash, what verify_audit checks) gives;
// the commit step is queued once per transaction, not per row; the
// append-only rules, now checked per statement, still refuse the owner's
// (rowscope_definer's) changes of content, of ids and of chained rows, and a
// refused statement changes nothing.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { verify } from './audit.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('owner', 'root', ['seller']);
  await org.createUser('friend', 'root', ['seller']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

async function inTransaction<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  try {
    await c.query('begin');
    const result = await fn(c);
    await c.query('commit');
    return result;
  } catch (error) {
    await c.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await c.end();
  }
}

/** The rows of the audit log whose stored hash differs from the per-row definition, or whose predecessor link is broken. */
const MISHASHED = `
  select a.id from rowscope.audit_log a
  left join rowscope.audit_log p on p.seq = a.seq - 1
  where a.txid = $1::bigint
    and (a.seq is null
         or a.prev_hash is distinct from coalesce(p.hash, (select base_hash from rowscope.audit_chain))
         or a.hash is distinct from rowscope._audit_hash(a.prev_hash, a.id, a.at, a.user_id, a.db_role, a.txid, a.table_name,
                                                          a.record_id, a.action, a.changes))`;

describe('a bulk transaction', () => {
  it('chains all its rows at commit with the hashes of the per-row definition, queuing one commit step', async () => {
    const n = 400;
    const { txid, queued } = await inTransaction(async (c) => {
      const accounts = (await c.query(
        `insert into app.account (name, revenue, owner_id) select 'bulk ' || i, i, $1 from generate_series(1, $2::int) i returning id`,
        [org.id('owner'), n])).rows.map((r) => r.id as string);
      await c.query(`select rowscope.grant_access_bulk('account', $1::jsonb)`,
        [JSON.stringify(accounts.map((id) => ({ record_id: id, principal_id: org.id('friend'), rights: ['read'] })))]);
      const tx = (await c.query('select txid_current()::text as t')).rows[0].t as string;
      // two statements wrote rows; one step is queued for the transaction
      const steps = (await c.query('select count(*)::int as n from rowscope.audit_commit_step where txid = $1::bigint', [tx])).rows[0].n;
      return { txid: tx, queued: steps as number };
    });
    expect(queued).toBe(1);
    const [{ rows, shares }] = await org.admin(
      `select count(*)::int as rows, count(*) filter (where action = 'share')::int as shares
       from rowscope.audit_log where txid = $1::bigint`, [txid]);
    expect(shares).toBe(n);
    expect(rows).toBeGreaterThanOrEqual(2 * n);
    // chained in id order, gapless, each hash the per-row definition's
    expect(await org.admin(MISHASHED, [txid])).toEqual([]);
    expect(await org.admin(`
      select count(*)::int as n from (
        select seq - lag(seq) over (order by id) as step from rowscope.audit_log where txid = $1::bigint) s
      where s.step <> 1`, [txid])).toEqual([{ n: 0 }]);
    expect(await org.admin('select count(*)::int as n from rowscope.audit_commit_step')).toEqual([{ n: 0 }]);
    expect(await verify(org)).toEqual([]);
  });

  it('a statement that writes no audit row queues no commit step', async () => {
    const queued = await inTransaction(async (c) => {
      await c.query(`select rowscope.grant_access_bulk('account', '[]'::jsonb)`);
      await c.query(`set local role rowscope_definer`);
      await c.query(`insert into rowscope.audit_log (at, db_role, txid, table_name, action, changes)
                     select now(), 'x', txid_current(), 'account', 'update', '{}' where false`);
      await c.query('reset role');
      return (await c.query('select count(*)::int as n from rowscope.audit_commit_step')).rows[0].n as number;
    });
    expect(queued).toBe(0);
  });
});

describe('SERIALIZABLE writers', () => {
  it('two concurrent SERIALIZABLE transactions that write audit rows both commit; a later seal chains their rows and drops their markers', async () => {
    const clients = [new pg.Client({ connectionString: db.url }), new pg.Client({ connectionString: db.url })];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      for (const c of clients) await c.query('begin isolation level serializable');
      // interleaved: each writes before the other commits
      const ids: string[] = [];
      for (const [i, c] of clients.entries()) {
        ids.push((await c.query(`insert into app.account (name, revenue, owner_id) values ($1, 1, $2) returning id`,
          [`serializable ${i}`, org.id('owner')])).rows[0].id as string);
      }
      for (const c of clients) await c.query('commit');
      const rows = await org.admin<{ n: number; unchained: number }>(
        `select count(*)::int as n, count(*) filter (where seq is null)::int as unchained from rowscope.audit_log where record_id = any ($1)`, [ids]);
      expect(rows[0].n).toBe(2);
      expect(await verify(org)).toEqual([]);
      expect(await org.admin(`select count(*)::int as n from rowscope.audit_log where record_id = any ($1) and seq is null`, [ids]))
        .toEqual([{ n: 0 }]);
      expect(await org.admin('select count(*)::int as n from rowscope.audit_commit_step')).toEqual([{ n: 0 }]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

describe('the append-only rules per statement, for the owner of the log', () => {
  // as rowscope_definer, on a fresh unchained row (id ${id}) and the chained rows
  const attempts: [string, (id: string) => string][] = [
    ['changes the content of an unchained row', (id) => `update rowscope.audit_log set changes = '{"x": 1}' where id = ${id}`],
    ['changes the id of an unchained row', (id) => `update rowscope.audit_log set id = id + 1000000 where id = ${id}`],
    ['re-chains a chained row among unchained ones',
     (id) => `update rowscope.audit_log set hash = repeat('0', 64) where id = ${id} or id = (select min(id) from rowscope.audit_log where seq is not null)`],
    ['inserts a chained row', () => `insert into rowscope.audit_log (at, db_role, txid, table_name, action, changes, seq, prev_hash, hash)
                                      values (now(), 'x', 1, 'account', 'update', '{}', 999999, repeat('0', 64), repeat('0', 64))`],
  ];
  for (const [what, text] of attempts) {
    it(`refuses a statement that ${what}, and changes nothing`, async () => {
      const before = await org.admin('select * from rowscope.audit_log order by id');
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      let error: { code?: string; message?: string } | undefined;
      try {
        await c.query('begin');
        await c.query('set local role rowscope_definer');
        const id = (await c.query(`select rowscope._audit_append('account', null, 'update', '{}')`).then(() =>
          c.query('select max(id)::text as id from rowscope.audit_log where seq is null'))).rows[0].id as string;
        await c.query(text(id)).catch((e: { code?: string; message?: string }) => { error = e; });
      } finally {
        await c.query('rollback');
        await c.end();
      }
      expect(error?.code).toBe('42501');
      expect(error?.message).toContain('rowscope_definer may not');
      expect(error?.message).toContain('append-only');
      expect(await org.admin('select * from rowscope.audit_log order by id')).toEqual(before);
    });
  }

  it('lets the owner chain unchained rows without changing them (the seal\'s own UPDATE)', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query('begin');
      await c.query('set local role rowscope_definer');
      await c.query(`select rowscope._audit_append('account', null, 'update', '{}')`);
      const updated = await c.query(`update rowscope.audit_log set seq = 888888 where seq is null and txid = txid_current()`);
      expect(updated.rowCount).toBe(1);
    } finally {
      await c.query('rollback');
      await c.end();
    }
  });
});
