// Auditing never makes one user wait for another (sql/200_audit_log.sql): an
// open transaction's audited writes do not block other transactions' audited
// writes or logins, and nothing goes unlogged because of contention. Blocking
// is detected with short lock/statement timeouts in the waiting session (a
// wait would fail the statement), not with wall-clock assertions.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { history, verify } from './audit.ts';

let db: TestDatabase;
let org: Org;
let version: number;
const PASSWORD = 'audit-non-blocking-test';

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  for (const p of ['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']) await org.createUser(p, 'root', ['seller']);
  await org.createUser('lou', 'root', ['seller']);
  await org.admin(`alter role ${org.role('lou')} password '${PASSWORD}'`);
  version = Number((await org.admin(`select current_setting('server_version_num') as v`))[0].v);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

/** A session that fails any statement that waits for a lock (or runs long). */
async function impatient(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query(`set lock_timeout = '300ms'`);
  await c.query(`set statement_timeout = '3s'`);
  return c;
}

async function session(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  return c;
}

/** Logs lou in, failing if the login takes more than a few seconds. */
async function login(): Promise<void> {
  const url = new URL(db.url);
  url.username = org.role('lou');
  url.password = PASSWORD;
  const c = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 3000, options: '-c lock_timeout=300' });
  await c.connect();
  await c.query('select 1');
  await c.end();
}

const logins = async () => (await history(org, org.id('lou'))).filter((r) => r.action === 'login').length;
const chained = async (record: string) =>
  (await org.admin<{ seq: string | null }>('select seq from rowscope.audit_log where record_id = $1 order by id', [record])).map((r) => r.seq !== null);

/** Opens a transaction as `persona` holding an uncommitted audited insert. */
async function holding(persona: string, immediate = false): Promise<{ c: pg.Client; id: string }> {
  const c = await session();
  await c.query('begin');
  await c.query(`select set_config('role', $1, true)`, [org.role(persona)]);
  // IMMEDIATE runs the commit step at the end of the statement: this
  // transaction then holds the chain lock until it ends
  if (immediate) await c.query('set constraints all immediate');
  const id = (await c.query(`insert into api.account (name, revenue) values ('held', 1) returning id`)).rows[0].id;
  return { c, id };
}

/** An audited insert, update and share by `persona` in one transaction. */
async function write(c: pg.Client, persona: string): Promise<string> {
  await c.query('begin');
  await c.query(`select set_config('role', $1, true)`, [org.role(persona)]);
  const id = (await c.query(`insert into api.account (name, revenue) values ('passing', 1) returning id`)).rows[0].id;
  await c.query('update api.account set revenue = 2 where id = $1', [id]);
  await c.query(`select rowscope.grant_access('account', $1, $2, '{read}')`, [id, org.id('w7')]);
  await c.query('commit');
  return id;
}

describe('an open transaction with an audited write', () => {
  it("does not hold up another user's audited writes, which are logged and chained at their commit", async () => {
    const a = await holding('w1');
    const b = await impatient();
    try {
      const id = await write(b, 'w2');
      expect((await history(org, id)).map((r) => r.action)).toEqual(['insert', 'update', 'share']);
      expect(await chained(id)).toEqual([true, true, true]);
      await a.c.query('commit');
    } finally {
      await a.c.end();
      await b.end();
    }
    expect((await history(org, a.id)).map((r) => r.action)).toEqual(['insert']);
    expect(await chained(a.id)).toEqual([true]);
    expect(await verify(org)).toEqual([]);
  });

  it('does not hold up logins, which are logged (PostgreSQL 17+; the login trigger needs it)', async () => {
    const [trigger] = await org.admin(`select count(*)::int as n from pg_event_trigger where evtname = 'rowscope_audit_login'`);
    if (version < 170000) {
      expect(trigger.n).toBe(0);
      return;
    }
    expect(trigger.n).toBe(1);
    const a = await holding('w1');
    try {
      const before = await logins();
      await login();
      await login();
      expect(await logins()).toBe(before + 2);
      await a.c.query('commit');
    } finally {
      await a.c.end();
    }
    expect(await verify(org)).toEqual([]);
  });

  it('a rolled-back transaction leaves no audit row', async () => {
    const a = await holding('w1');
    await a.c.query('rollback');
    await a.c.end();
    expect(await history(org, a.id)).toEqual([]);
  });
});

describe('a transaction that holds the chain lock (its commit step run early)', () => {
  it('holds up nobody: others commit at once, their rows wait for a later step, and nothing is lost', async () => {
    const a = await holding('w1', true);
    const b = await impatient();
    let id: string;
    let loggedIn = 0;
    try {
      id = await write(b, 'w2');
      expect((await history(org, id)).map((r) => r.action)).toEqual(['insert', 'update', 'share']);
      // b's commit step found the lock busy and left its rows unchained
      expect(await chained(id)).toEqual([false, false, false]);
      if (version >= 170000) {
        const before = await logins();
        await login();
        loggedIn = (await logins()) - before;
      }
      await a.c.query('commit');
    } finally {
      await a.c.end();
      await b.end();
    }
    expect(loggedIn).toBe(version >= 170000 ? 1 : 0);
    // the next commit step chains what was left
    const c = await impatient();
    let next: string;
    try {
      next = await write(c, 'w3');
    } finally {
      await c.end();
    }
    expect(await chained(id!)).toEqual([true, true, true]);
    expect(await chained(next!)).toEqual([true, true, true]);
    expect(await org.admin('select count(*)::int as n from rowscope.audit_log where seq is null')).toEqual([{ n: 0 }]);
    expect(await verify(org)).toEqual([]);
  });
});

describe('many concurrent writers', () => {
  it('8 clients x 50 transactions (some REPEATABLE READ or SERIALIZABLE, some rolled back): one row per committed write, a chain that verifies', async () => {
    const committed: { id: string; updated: boolean }[] = [];
    const rolledBack: string[] = [];
    const clients = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(() => impatient()));
    try {
      await Promise.all(clients.map(async (c, i) => {
        const persona = `w${i}`;
        for (let n = 0; n < 50; n++) {
          const level = n % 9 === 5 ? 'serializable' : i % 3 === 0 || n % 4 === 0 ? 'repeatable read' : 'read committed';
          await c.query(`begin isolation level ${level}`);
          await c.query(`select set_config('role', $1, true)`, [org.role(persona)]);
          const updated = n % 2 === 0;
          let id: string | undefined;
          try {
            id = (await c.query('insert into api.account (name, revenue) values ($1, $2) returning id', [`${persona} ${n}`, n])).rows[0].id as string;
            if (updated) await c.query('update api.account set revenue = revenue + 1 where id = $1', [id]);
            if (n % 7 === 3) {
              await c.query('rollback');
              rolledBack.push(id);
            } else {
              await c.query('commit');
              committed.push({ id, updated });
            }
          } catch (error) {
            // SSI may cancel a SERIALIZABLE transaction over the access checks'
            // reads (the same workload without audit triggers shows it; the
            // audit adds no reads under SERIALIZABLE). A canceled one logs nothing.
            expect({ level, code: (error as { code?: string }).code }).toEqual({ level: 'serializable', code: '40001' });
            await c.query('rollback');
            if (id) rolledBack.push(id);
          }
        }
      }));
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(committed.length).toBeGreaterThan(300);
    expect(await verify(org)).toEqual([]);
    expect(await org.admin('select count(*)::int as n from rowscope.audit_log where seq is null')).toEqual([{ n: 0 }]);
    const rows = await org.admin<{ record_id: string; action: string; n: number }>(
      `select record_id, action, count(*)::int as n from rowscope.audit_log
       where table_name = 'account' and record_id = any($1::uuid[]) group by record_id, action`,
      [[...committed.map((w) => w.id), ...rolledBack]]);
    const got = new Map(rows.map((r) => [`${r.record_id} ${r.action}`, r.n]));
    const want = new Map(committed.flatMap((w) => [[`${w.id} insert`, 1], ...(w.updated ? [[`${w.id} update`, 1] as const] : [])]));
    expect(got).toEqual(want);
  });
});
