// docs/reference.md purge_audit(before): needs the misc privilege delete_audit_history,
// deletes the older history, is itself audited, and leaves a chain that
// verify_audit still checks (from the purge point).
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
  await org.createUser('sam', 'root', ['seller']);
  await org.createUser('aud', 'root', ['auditor']);
  await org.createUser('pat', 'root', ['purger']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const now = async (): Promise<Date> => (await org.admin('select clock_timestamp() as t'))[0].t;
const ids = async (): Promise<number[]> => (await org.admin('select id::int from rowscope.audit_log order by id')).map((r) => r.id);

describe('purge_audit', () => {
  it('is refused without delete_audit_history, and logs nothing', async () => {
    const before = await logSize(org);
    for (const persona of ['sam', 'aud']) {
      const refusal = await org.refused(persona, 'select rowscope.purge_audit(now())');
      expect(refusal.code).toBe('42501');
      expect(refusal.message).toMatch(/lacks delete_audit_history on audit_log .*no role grants the misc privilege delete_audit_history/);
    }
    expect(await logSize(org)).toBe(before);
  });

  it('deletes the rows older than `before`, logs itself, and the rest still verifies', async () => {
    await org.as('sam', `insert into api.account (name) values ('old')`);
    const cut = await now();
    const kept = (await ids()).at(-1)! + 1;
    await org.as('sam', `insert into api.account (name) values ('new')`);
    const older = (await ids()).filter((id) => id < kept).length;

    const [res] = await org.as('pat', 'select rowscope.purge_audit($1)::int as n', [cut]);
    expect(res.n).toBe(older);
    const remaining = await ids();
    expect(remaining[0]).toBe(kept);
    const [purge] = await org.admin(`select * from rowscope.audit_log order by id desc limit 1`);
    expect(purge).toMatchObject({ table_name: 'audit_log', action: 'purge', user_id: org.id('pat') });
    expect(purge.changes.deleted).toEqual({ old: null, new: older });
    // chain positions: the purged rows were the first `older` ones
    expect(purge.changes.through_seq).toEqual({ old: 0, new: older });
    expect(await verify(org)).toEqual([]);
    expect(await org.as('pat', 'select * from rowscope.verify_audit()')).toEqual([]);
  });

  it('a purge with nothing older deletes nothing and is still logged', async () => {
    const before = await logSize(org);
    const [res] = await org.as('pat', `select rowscope.purge_audit('2000-01-01')::int as n`);
    expect(res.n).toBe(0);
    expect(await logSize(org)).toBe(before + 1);
    expect(await verify(org)).toEqual([]);
  });

  it('tampering with what remains is still detected', async () => {
    const [first] = await ids();
    const c = await org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`update rowscope.audit_log set changes = '{}' where id = $1`, [first]);
      const { rows } = await c.query('select id::int, problem from rowscope.verify_audit()');
      expect(rows).toEqual([{ id: first, problem: expect.stringMatching(/does not match its hash/) }]);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });

  it('purging everything keeps a verifiable log', async () => {
    const [res] = await org.as('pat', 'select rowscope.purge_audit(clock_timestamp())::int as n');
    expect(res.n).toBeGreaterThan(0);
    expect(await logSize(org)).toBe(1);
    expect(await verify(org)).toEqual([]);
  });

  it('needs a time', async () => {
    expect((await org.refused('pat', 'select rowscope.purge_audit(null)')).code).toBe('22023');
  });
});
