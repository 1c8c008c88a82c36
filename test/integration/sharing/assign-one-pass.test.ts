// rowscope.assign in one pass (sql/120_assign.sql, docs/performance.md "Writes"): a
// user's assign checks the row guard's owner-change rules on the locked row and
// changes the owner with one UPDATE, where an UPDATE of owner_id through the api
// view holds the change back and applies it in a second one (sql/100
// pending_assign). The same rules must hold: the class guard's answer in
// REPEATABLE READ, and a record that a concurrent transaction moves out of the
// caller's reach while the assign waits for its row lock.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('sharing');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('alice', 'sales', ['sales']);
  await org.createUser('dave', 'service', ['sales']);
  await org.createUser('erin', 'service', ['sales']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

/** A session of the persona (own connection, role set for the session). */
async function session(persona: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: db.url });
  c.on('error', () => {});
  await c.connect();
  await c.query(`select set_config('role', $1, false)`, [org.role(persona)]);
  return c;
}

const facts = async (table: 'account' | 'contact', id: string) =>
  (await org.admin(`select owner_id, owning_business_unit, modified_by from app.${table} where id = $1`, [id]))[0];

describe('a user\'s rowscope.assign', () => {
  it('updates the record once (the api view\'s UPDATE of owner_id takes two), with the cascade, one audit row and nothing left pending', async () => {
    const a = await org.record('account', 'one-pass', 'alice');
    const c = await org.record('contact', 'one-pass child', 'alice', { account_id: a });
    const s = await session('alice');
    try {
      const updates = async () => Number((await s.query(
        `select n_tup_upd from pg_stat_xact_user_tables where relid = 'app.account'::regclass`)).rows[0]?.n_tup_upd ?? 0);
      await s.query('begin');
      const before = await updates();
      await s.query('select rowscope.assign($1, $2, $3)', ['account', a, org.id('dave')]);
      expect(await updates() - before).toBe(1);
      await s.query('commit');
      // the comparison: the held-back path of a plain UPDATE of owner_id
      const b = await org.record('account', 'two-pass', 'alice');
      await s.query('begin');
      const before2 = await updates();
      await s.query('update api.account set owner_id = $1 where id = $2', [org.id('dave'), b]);
      expect(await updates() - before2).toBe(2);
      await s.query('commit');
      expect(await facts('account', b)).toMatchObject({ owner_id: org.id('dave'), owning_business_unit: org.bu('service') });
    } finally {
      await s.end();
    }
    expect(await facts('account', a)).toEqual({ owner_id: org.id('dave'), owning_business_unit: org.bu('service'), modified_by: org.id('alice') });
    expect(await facts('contact', c)).toMatchObject({ owner_id: org.id('dave'), owning_business_unit: org.bu('service') });
    const audit = await org.admin(`select user_id, changes from rowscope.audit_log where table_name = 'account' and record_id = $1 and action = 'assign'`, [a]);
    expect(audit).toEqual([{ user_id: org.id('alice'), changes: {
      owner_id: { old: org.id('alice'), new: org.id('dave') },
      owning_business_unit: { old: org.bu('sales'), new: org.bu('service') },
    } }]);
    expect(await org.admin('select * from rowscope.pending_assign')).toEqual([]);
    expect(await org.admin('select * from rowscope.cascade_pass')).toEqual([]);
  });

  it('in REPEATABLE READ after a security change committed since the snapshot: 40001, nothing changed', async () => {
    const a = await org.record('account', 'stale', 'alice');
    const s = await session('alice');
    try {
      await s.query('begin isolation level repeatable read');
      await s.query('select count(*) from api.account');
      const other = await org.record('account', 'someone else', 'erin');
      await org.admin(`select rowscope.grant_access('account', $1, $2, array['read'])`, [other, org.id('dave')]);
      const err = await s.query('select rowscope.assign($1, $2, $3)', ['account', a, org.id('dave')]).then(() => null, (e) => e);
      expect(err?.code).toBe('40001');
      await s.query('rollback');
    } finally {
      await s.end();
    }
    expect((await facts('account', a)).owner_id).toBe(org.id('alice'));
  });

  it('a record moved out of reach while the assign waited for its row lock: 22023 no such record, the other owner keeps it', async () => {
    const a = await org.record('account', 'contended', 'alice');
    const admin = new pg.Client({ connectionString: db.url });
    admin.on('error', () => {});
    await admin.connect();
    const s = await session('alice');
    try {
      await admin.query('begin');
      await admin.query('select rowscope.assign($1, $2, $3)', ['account', a, org.id('erin')]);
      const pid = (await s.query('select pg_backend_pid() as pid')).rows[0].pid;
      const pending = s.query('select rowscope.assign($1, $2, $3)', ['account', a, org.id('dave')]).then(() => null, (e) => e);
      // wait until the user's assign is blocked on the row
      for (let i = 0; i < 200; i++) {
        const [w] = (await admin.query(`select wait_event_type from pg_stat_activity where pid = $1`, [pid])).rows;
        if (w?.wait_event_type === 'Lock') break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await admin.query('commit');
      const err = await pending;
      expect(err?.code).toBe('22023');
      expect(err?.message).toContain(`no such record ${a}`);
      expect(err?.message).not.toContain(org.role('erin'));
    } finally {
      await s.end();
      await admin.end();
    }
    expect(await facts('account', a)).toMatchObject({ owner_id: org.id('erin'), owning_business_unit: org.bu('service') });
  });
});
