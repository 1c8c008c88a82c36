// docs/security-model.md "Audit": the log is append-only for everyone but the superuser, and
// its hash chain shows tampering (verify_audit returns the first broken row).
// Concurrent writers are chained at commit and never fork the chain; a
// REPEATABLE READ writer whose snapshot is stale leaves its rows to the sealer.
// (Writers that do not wait for each other: non-blocking.test.ts.)
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { logSize, verify } from './audit.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  for (const p of ['w1', 'w2', 'w3', 'w4', 'w5', 'w6']) await org.createUser(p, 'root', ['seller']);
  await org.createUser('aud', 'root', ['auditor']);
  for (let i = 0; i < 5; i++) await org.as('w1', 'insert into api.account (name, revenue) values ($1, $2)', [`seed ${i}`, i]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

/** Runs `fn` as the superuser inside a transaction that is always rolled back. */
async function tampered<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await org.pool.connect();
  try {
    await c.query('begin');
    return await fn(c);
  } finally {
    await c.query('rollback');
    c.release();
  }
}

const verifyIn = async (c: pg.PoolClient) => (await c.query('select id::int, problem from rowscope.verify_audit()')).rows;
const lastId = async () => Number((await org.admin('select max(id) as id from rowscope.audit_log'))[0].id);
/** The id of the row at a chain position (the newest one without). */
const atSeq = async (seq?: number) => Number((await org.admin(
  seq === undefined ? 'select id from rowscope.audit_log where seq is not null order by seq desc limit 1'
    : 'select id from rowscope.audit_log where seq = $1', seq === undefined ? [] : [seq]))[0].id);

describe('append-only', () => {
  for (const [what, statement] of [
    ['read', 'select * from rowscope.audit_log'],
    ['insert', `insert into rowscope.audit_log (id, at, db_role, txid, table_name, action, changes, prev_hash, hash)
                values (999999, now(), 'x', 1, 'account', 'insert', '{}', 'x', 'x')`],
    ['update', `update rowscope.audit_log set action = 'nothing'`],
    ['delete', 'delete from rowscope.audit_log'],
    ['truncate', 'truncate rowscope.audit_log'],
    ['move the chain tip', 'update rowscope.audit_chain set tip_seq = 0'],
  ]) {
    it(`a user cannot ${what} rowscope.audit_log directly`, async () => {
      const before = await logSize(org);
      expect((await org.refused('w1', statement!)).code).toBe('42501');
      expect(await logSize(org)).toBe(before);
    });
  }

  it('even its owner role is refused updates, deletes and truncation (defence in depth)', async () => {
    for (const statement of ['update rowscope.audit_log set action = $$x$$', 'delete from rowscope.audit_log', 'truncate rowscope.audit_log']) {
      await tampered(async (c) => {
        await c.query('set local role rowscope_definer');
        await expect(c.query(statement)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/append-only/) });
      });
    }
  });
});

describe('tamper evidence', () => {
  it('an intact log verifies', async () => {
    expect(await verify(org)).toEqual([]);
  });

  it("the superuser changing a row's changes is detected at that row", async () => {
    const id = (await org.admin(`select min(id)::int as id from rowscope.audit_log where table_name = 'account' and action = 'insert'`))[0].id;
    const found = await tampered(async (c) => {
      await c.query(`update rowscope.audit_log set changes = jsonb_set(changes, '{revenue,new}', '1000000') where id = $1`, [id]);
      return verifyIn(c);
    });
    expect(found).toEqual([{ id, problem: expect.stringMatching(/does not match its hash/) }]);
  });

  it('a changed row with a recomputed hash is caught by the next row', async () => {
    const id = (await org.admin(`select min(id)::int as id from rowscope.audit_log where table_name = 'account'`))[0].id;
    const found = await tampered(async (c) => {
      await c.query(`update rowscope.audit_log set action = 'nothing',
        hash = rowscope._audit_hash(prev_hash, id, at, user_id, db_role, txid, table_name, record_id, 'nothing', changes) where id = $1`, [id]);
      return verifyIn(c);
    });
    expect(found).toEqual([{ id: id + 1, problem: expect.stringMatching(/prev_hash does not match the hash of row/) }]);
  });

  it('a removed row is detected', async () => {
    const next = await atSeq(4);
    const found = await tampered(async (c) => {
      await c.query('delete from rowscope.audit_log where seq = 3');
      return verifyIn(c);
    });
    expect(found).toEqual([{ id: next, problem: 'rows at chain positions 3 to 3 are missing' }]);
  });

  it('a row taken out of the chain (made unchained again) is detected', async () => {
    const next = await atSeq(4);
    const found = await tampered(async (c) => {
      await c.query('update rowscope.audit_log set seq = null, prev_hash = null, hash = null where seq = 3');
      return verifyIn(c); // the seal chains it again at the end: position 3 stays empty
    });
    expect(found).toEqual([{ id: next, problem: 'rows at chain positions 3 to 3 are missing' }]);
  });

  it('rows cut off the end are detected', async () => {
    const id = await atSeq();
    const [{ seq }] = await org.admin('select seq::int from rowscope.audit_log where id = $1', [id]);
    const before = await atSeq(seq - 1);
    const found = await tampered(async (c) => {
      await c.query('delete from rowscope.audit_log where id = $1', [id]);
      return verifyIn(c);
    });
    expect(found).toEqual([{ id: before, problem: expect.stringMatching(/chain ends at position \d+ but its recorded tip is position/) }]);
  });

  it('rows the verifying transaction appended itself (tip not sealed yet) are no problem', async () => {
    const found = await tampered(async (c) => {
      await c.query(`insert into app.account (name, owner_id) values ('in flight', $1)`, [org.id('w1')]);
      return verifyIn(c);
    });
    expect(found).toEqual([]);
  });

  it('a row left unchained for more than a minute is reported', async () => {
    const c = await org.pool.connect();
    try {
      // SERIALIZABLE: verify_audit cannot seal, as when the chain lock stays busy
      await c.query('begin isolation level serializable');
      const { rows } = await c.query(`insert into rowscope.audit_log (at, db_role, txid, table_name, action, changes)
        values (now() - interval '2 minutes', 'x', txid_current(), 'account', 'update', '{}') returning id::int`);
      expect(await verifyIn(c)).toEqual([{ id: rows[0].id, problem: expect.stringMatching(/is not chained yet \(1 such rows older than a minute\)/) }]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });

  it('a fresh unchained row is no problem, and seal_audit chains it', async () => {
    const c = await org.pool.connect();
    try {
      await c.query('begin isolation level serializable');
      await c.query(`insert into app.account (name, owner_id) values ('unsealed', $1)`, [org.id('w1')]);
      expect(await verifyIn(c)).toEqual([]);
      await c.query('rollback');
      await c.query('begin');
      await c.query(`insert into app.account (name, owner_id) values ('sealed', $1)`, [org.id('w1')]);
      expect((await c.query('select rowscope.seal_audit()::int as n')).rows).toEqual([{ n: 1 }]);
      expect((await c.query(`select count(*)::int as n from rowscope.audit_log where seq is null`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });

  it('verify_audit needs view_audit_history', async () => {
    expect((await org.refused('w1', 'select * from rowscope.verify_audit()')).code).toBe('42501');
    expect(await org.as('aud', 'select * from rowscope.verify_audit()')).toEqual([]);
  });
});

describe('concurrent writers', () => {
  it('several clients writing at once keep one valid chain, each transaction chained at its commit', async () => {
    const writers = ['w1', 'w2', 'w3', 'w4', 'w5', 'w6'];
    const before = await lastId();
    const clients = await Promise.all(writers.map(async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      return c;
    }));
    try {
      await Promise.all(writers.map(async (persona, i) => {
        const c = clients[i]!;
        for (let n = 0; n < 8; n++) {
          await c.query('begin');
          await c.query(`select set_config('role', $1, true)`, [org.role(persona)]);
          const { rows } = await c.query('insert into api.account (name, revenue) values ($1, $2) returning id', [`${persona} ${n}`, n]);
          await c.query('select pg_sleep(0.002)');
          await c.query('update api.account set revenue = revenue + 1 where id = $1', [rows[0].id]);
          await c.query('commit');
        }
      }));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const [{ n, chained }] = await org.admin(`select count(*)::int as n, count(seq)::int as chained from rowscope.audit_log where id > $1`, [before]);
    expect(n).toBe(writers.length * 8 * 2);
    expect(await verify(org)).toEqual([]);
    // the commit steps chained (nearly) everything; verify_audit sealed the rest
    expect(chained).toBeGreaterThan(0);
    const [left] = await org.admin(`select count(*)::int as n from rowscope.audit_log where seq is null`);
    expect(left.n).toBe(0);
  });

  it('a REPEATABLE READ writer with a stale snapshot commits; its rows wait for the sealer instead of forking the chain', async () => {
    const a = new pg.Client({ connectionString: db.url });
    await a.connect();
    let stale: string;
    try {
      await a.query('begin isolation level repeatable read');
      await a.query(`select set_config('role', $1, true)`, [org.role('w1')]);
      await a.query('select count(*) from api.account'); // takes the snapshot
      await org.as('w2', `insert into api.account (name) values ('meanwhile')`);
      stale = (await a.query(`insert into api.account (name) values ('stale') returning id`)).rows[0].id;
      await a.query('commit');
    } finally {
      await a.end();
    }
    // its commit step could not chain (another transaction chained after its snapshot)
    const [row] = await org.admin(`select seq, hash from rowscope.audit_log where record_id = $1`, [stale]);
    expect(row).toEqual({ seq: null, hash: null });
    expect(await verify(org)).toEqual([]);
    const [sealed] = await org.admin(`select seq::int, hash from rowscope.audit_log where record_id = $1`, [stale]);
    expect(sealed.seq).toBe(Number((await org.admin('select tip_seq from rowscope.audit_chain'))[0].tip_seq));
    expect(sealed.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a REPEATABLE READ writer whose snapshot is current chains its rows at commit', async () => {
    const a = new pg.Client({ connectionString: db.url });
    await a.connect();
    let id: string;
    try {
      await a.query('begin isolation level repeatable read');
      await a.query(`select set_config('role', $1, true)`, [org.role('w1')]);
      id = (await a.query(`insert into api.account (name) values ('current') returning id`)).rows[0].id;
      await a.query('commit');
    } finally {
      await a.end();
    }
    const [row] = await org.admin(`select seq from rowscope.audit_log where record_id = $1`, [id]);
    expect(row.seq).not.toBeNull();
    expect(await verify(org)).toEqual([]);
  });
});
