// F4: a statement prepared inside a transaction opened before an access-reducing
// change keeps the plan of the access class the user had (a transaction that
// already holds its locks processes no invalidation messages). At 20fab3e an
// organization reader disabled in another session kept reading every account
// through it, rows inserted after the change included. Now the next statement
// answers within the new access or fails with 40001 (sql/045 _class_guard),
// through the user's own login and through a pooled connection that SETs ROLE,
// in READ COMMITTED and REPEATABLE READ.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { arena, closeArena, login, type Arena } from './fixture.ts';

interface Change {
  /** the subject's setup (after the arena); returns the subject persona */
  setup(a: Arena): Promise<string>;
  change(a: Arena, subject: string): Promise<void>;
  /** what the subject read before the change (names, sorted) must include */
  before: string[];
}

const CHANGES: Record<string, Change> = {
  disable_user: {
    setup: async () => 'reader',
    change: async (a, s) => { await a.org.admin('select rowscope.disable_user($1)', [a.org.id(s)]); },
    before: ['mine', 'secret_a', 'secret_b'],
  },
  remove_role: {
    // keeps a BU read: the org plan would answer beyond it
    setup: async (a) => { await a.org.createUser('subject', 'sales', ['reader_org', 'salesperson']); return 'subject'; },
    change: async (a, s) => { await a.org.admin(`select rowscope.remove_role($1, 'reader_org')`, [a.org.id(s)]); },
    before: ['mine', 'secret_a', 'secret_b'],
  },
  remove_team_member: {
    setup: async (a) => {
      const team = await a.org.createTeam('readers', 'root');
      await a.org.admin(`select rowscope.assign_role($1, 'reader_org')`, [team]);
      await a.org.createUser('subject', 'sales');
      await a.org.admin('select rowscope.add_team_member($1, $2)', [team, a.org.id('subject')]);
      return 'subject';
    },
    change: async (a, s) => { await a.org.admin('select rowscope.remove_team_member($1, $2)', [a.org.id('readers'), a.org.id(s)]); },
    before: ['mine', 'secret_a', 'secret_b'],
  },
  revoke_access: {
    setup: async (a) => {
      await a.org.createUser('subject', 'sales', ['salesperson']);
      await a.org.admin(`select rowscope.grant_access('account', $1, $2, '{read}')`, [a.ids.secret_a, a.org.id('subject')]);
      return 'subject';
    },
    change: async (a, s) => { await a.org.admin(`select rowscope.revoke_access('account', $1, $2)`, [a.ids.secret_a, a.org.id(s)]); },
    before: ['mine', 'secret_a'],
  },
  move_user: {
    setup: async (a) => { await a.org.createUser('subject', 'sales', ['reader_bu']); return 'subject'; },
    change: async (a, s) => { await a.org.admin('select rowscope.move_user($1, $2)', [a.org.id(s), a.org.bu('service')]); },
    before: ['mine'],
  },
  set_access_mode: {
    setup: async () => 'reader',
    change: async (a, s) => { await a.org.admin(`select rowscope.set_access_mode($1, 'administrative')`, [a.org.id(s)]); },
    before: ['mine', 'secret_a', 'secret_b'],
  },
};

const QUERIES = ['select name from app.account order by name', 'select name from api.account order by name'];

let a: Arena | undefined;
afterEach(async () => {
  await closeArena(a);
  a = undefined;
});

type Outcome = { rows: string[] } | { code: string; message: string };

async function run(c: pg.ClientBase, name: string, text: string): Promise<Outcome> {
  try {
    return { rows: (await c.query({ name, text })).rows.map((r) => r.name) };
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message };
  }
}

/** A connection acting as the subject: its own login, or a pooled one that SETs ROLE in the transaction. */
async function connect(a: Arena, subject: string, via: 'login' | 'pooled', isolation: string) {
  if (via === 'login') {
    const s = await login(a, subject);
    await s.client.query(`begin isolation level ${isolation}`);
    return { c: s.client as pg.ClientBase, end: async () => { await s.client.query('rollback').catch(() => {}); await s.client.end(); } };
  }
  const c = await a.org.pool.connect();
  await c.query(`begin isolation level ${isolation}`);
  await c.query(`select set_config('role', $1, true)`, [a.org.role(subject)]);
  return { c: c as pg.ClientBase, end: async () => { await c.query('rollback').catch(() => {}); c.release(); } };
}

describe.each(Object.keys(CHANGES))('%s', (kind) => {
  const ch = CHANGES[kind]!;
  for (const via of ['login', 'pooled'] as const) {
    it(`read committed, ${via === 'login' ? 'own login' : 'pooled SET ROLE'}: the next statement answers within the new access or fails with 40001`, async () => {
      a = await arena();
      const subject = await ch.setup(a);
      const { c, end } = await connect(a, subject, via, 'read committed');
      try {
        // planned (and gone generic) while the old access held
        for (const [i, text] of QUERIES.entries()) {
          for (let n = 0; n < 7; n++) expect(await run(c, `q${i}`, text)).toEqual({ rows: expect.arrayContaining(ch.before) });
        }
        await ch.change(a, subject);
        await a.org.record('account', 'late', 'victim'); // inserted after the change
        const fresh = (await a.org.as(subject, QUERIES[0]!)).map((r) => r.name);
        for (const [i, text] of QUERIES.entries()) {
          const got = await run(c, `q${i}`, text);
          if ('code' in got) {
            expect(got.code, got.message).toBe('40001');
            expect(got.message).toContain(`${a.org.role(subject)}'s access to account changed`);
            break; // the transaction is aborted
          }
          expect(got.rows, text).toEqual(fresh);
        }
        if (kind !== 'move_user') expect(fresh).not.toContain('late');
      } finally {
        await end();
      }
    });

    it(`repeatable read, ${via === 'login' ? 'own login' : 'pooled SET ROLE'}: the next statement fails with 40001 or answers within the new access`, async () => {
      a = await arena();
      const subject = await ch.setup(a);
      const { c, end } = await connect(a, subject, via, 'repeatable read');
      try {
        for (let n = 0; n < 7; n++) expect(await run(c, 'q', QUERIES[0]!)).toEqual({ rows: expect.arrayContaining(ch.before) });
        await ch.change(a, subject);
        const fresh = (await a.org.as(subject, QUERIES[0]!)).map((r) => r.name);
        const got = await run(c, 'q', QUERIES[0]!);
        if ('code' in got) expect(got.code, got.message).toBe('40001');
        else for (const name of got.rows) expect(fresh, `${name} is beyond the new access`).toContain(name);
      } finally {
        await end();
      }
    });
  }
});

/** A new user `nobody` with no role; the deployer (not the class refresh) grants the account table's org class to it and to the attacker. */
async function grantOrgClassByDeployer(a: Arena): Promise<void> {
  await a.org.createUser('nobody', 'sales');
  const [{ orgClass }] = await a.org.admin(`select rowscope._table_role('account', 'org') as "orgClass"`);
  for (const who of ['attacker', 'nobody']) await a.org.admin(`grant ${orgClass} to ${a.org.role(who)}`);
}

describe('what the guard does not disturb', () => {
  it('an open transaction of a user whose access did not change keeps working after another user is disabled', async () => {
    a = await arena();
    const { c, end } = await connect(a, 'reader', 'pooled', 'read committed');
    try {
      for (let n = 0; n < 7; n++) expect(await run(c, 'q', QUERIES[0]!)).toEqual({ rows: ['mine', 'secret_a', 'secret_b'] });
      await a.org.admin('select rowscope.disable_user($1)', [a.org.id('attacker')]);
      expect(await run(c, 'q', QUERIES[0]!)).toEqual({ rows: ['mine', 'secret_a', 'secret_b'] });
    } finally {
      await end();
    }
  });
  it('called directly, the guard answers for the caller only, and names a bad class', async () => {
    a = await arena();
    expect(await a.org.as('reader', `select rowscope._class_guard('account', 'org') as g`)).toEqual([{ g: true }]);
    // the attacker reads its BU: an org plan would answer beyond that
    expect((await a.org.refused('attacker', `select rowscope._class_guard('account', 'org')`)).code).toBe('40001');
    const bad = await a.org.refused('attacker', `select rowscope._class_guard('account', 'none')`);
    expect(bad.code).toBe('22023');
    expect(bad.message).toContain('p_class');
  });
  // The organization guard takes the class refresh's own grant (grantor: the
  // definer) as proof of the class without recomputing the access sets (sql/045
  // _class_guard); a membership granted by anyone else is checked against the
  // security data as before, so a mistaken GRANT opens nothing.
  it('an organization class granted by anyone but the class refresh reads nothing beyond the security data', async () => {
    a = await arena();
    await grantOrgClassByDeployer(a);
    // the attacker reads its BU (the org plan would answer beyond it); nobody reads nothing
    expect((await a.org.refused('attacker', QUERIES[0]!)).code).toBe('40001');
    expect(await a.org.as('nobody', QUERIES[0]!)).toEqual([]);
    // the class refresh's own org grant passes at once
    expect((await a.org.as('reader', QUERIES[0]!)).map((r) => r.name)).toEqual(['mine', 'secret_a', 'secret_b']);
  });
  // The guard is PARALLEL RESTRICTED (sql/045): it runs in the leader of a
  // parallel query, in parallel mode, where a write or a subtransaction is an
  // error. Both its slow paths (the membership granted by someone else, the
  // REPEATABLE READ check) must answer there as they do in a serial plan.
  it('in a parallel query the guard answers as in a serial one, slow paths included', async () => {
    a = await arena();
    await grantOrgClassByDeployer(a);
    await a.org.admin(`insert into app.account (name, owner_id) select 'n' || g, $1 from generate_series(1, 3000) g`, [a.org.id('victim')]);
    await a.org.admin('analyze app.account');
    const text = `select count(*)::int as n from app.account where name not like 'n%'`;
    const parallel = async (subject: string, isolation: string) => {
      const s = await connect(a!, subject, 'pooled', isolation);
      for (const setting of ['parallel_setup_cost = 0', 'parallel_tuple_cost = 0', 'min_parallel_table_scan_size = 0',
        'min_parallel_index_scan_size = 0', 'max_parallel_workers_per_gather = 2']) await s.c.query(`set local ${setting}`);
      return s;
    };
    const count = async (c: pg.ClientBase) => {
      try {
        return { n: (await c.query(text)).rows[0].n as number };
      } catch (e) {
        return { code: (e as { code: string }).code };
      }
    };
    for (const [subject, expected] of [['reader', { n: 3 }], ['attacker', { code: '40001' }], ['nobody', { n: 0 }]] as const) {
      const { c, end } = await parallel(subject, 'read committed');
      try {
        const plan = (await c.query(`explain ${text}`)).rows.map((r) => r['QUERY PLAN']).join('\n');
        // the attacker also holds its BU class, whose arms keep the plan serial
        if (subject !== 'attacker') expect(plan, subject).toContain('Gather');
        expect(await count(c), subject).toEqual(expected);
      } finally {
        await end();
      }
    }
    // REPEATABLE READ: a security change committed since the snapshot
    const { c, end } = await parallel('reader', 'repeatable read');
    try {
      expect(await count(c)).toEqual({ n: 3 });
      await a.org.admin(`select rowscope.set_access_mode($1, 'administrative')`, [a.org.id('nobody')]);
      expect(await count(c)).toEqual({ code: '40001' });
    } finally {
      await end();
    }
  });
  it('the guard is computed once per statement and leaves the row estimate (so the plan) as it was', async () => {
    a = await arena();
    await a.org.admin(`insert into app.account (name, owner_id) select 'n' || g, $1 from generate_series(1, 2000) g`, [a.org.id('victim')]);
    await a.org.admin('analyze app.account');
    const estimate = (plan: { 'QUERY PLAN': string }[]) => Number(/rows=(\d+)/.exec(plan[0]!['QUERY PLAN'])![1]);
    const text = 'explain select name from app.account';
    const mine = await a.org.as('reader', text);
    const all = await a.org.admin(text);
    // an InitPlan (PostgreSQL 15 prints it as $0), not a call per row
    expect(mine.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Filter: \(?\((\(InitPlan \d+\)\.col1|\$\d+) <> 0\)/);
    expect(estimate(mine)).toBeGreaterThanOrEqual(Math.floor(estimate(all) * 0.99));
  });
});
