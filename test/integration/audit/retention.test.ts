// SPEC §2 Audit, model option auditRetention: rowscope.audit_retention_cutoff()
// (sql/235) is now() minus the retention, and purge_audit(null) purges what is
// older than it (sql/230), still needing delete_audit_history and still logged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { logSize, verify } from './audit.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('audit_retention');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('sam', 'root', ['seller']);
  await org.createUser('pat', 'root', ['purger']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const ids = async (): Promise<number[]> => (await org.admin('select id::int from rowscope.audit_log order by id')).map((r) => r.id);

describe('auditRetention', () => {
  it('is in the catalog in canonical form, and the cut-off is now() minus it, for any user', async () => {
    const [setting] = await org.admin(`select value from rowscope.setting where key = 'auditRetention'`);
    expect(setting.value).toBe('30 days');
    const [cut] = await org.as('sam', `select rowscope.audit_retention_cutoff() = now() - interval '30 days' as ok`);
    expect(cut.ok).toBe(true);
  });

  it('without the option, the cut-off is null and purge_audit(null) is a bad argument naming the option', async () => {
    const c = await org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`delete from rowscope.setting where key = 'auditRetention'`);
      expect((await c.query('select rowscope.audit_retention_cutoff() as t')).rows[0].t).toBeNull();
      const err = await c.query('select rowscope.purge_audit(null)').catch((e) => e);
      expect(err.code).toBe('22023');
      expect(err.message).toMatch(/before: give the time .*or set the model option auditRetention/);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });

  it('purge_audit(null) still needs delete_audit_history and logs nothing when refused', async () => {
    const before = await logSize(org);
    const refusal = await org.refused('sam', 'select rowscope.purge_audit(null)');
    expect(refusal.code).toBe('42501');
    expect(refusal.message).toMatch(/lacks delete_audit_history on audit_log/);
    expect(await logSize(org)).toBe(before);
  });

  it('purge_audit(null) removes the history older than the retention, logs the cut-off, and the rest verifies', async () => {
    await org.as('sam', `insert into api.account (name) values ('old one'), ('old two')`);
    const old = await ids();
    await org.as('sam', `insert into api.account (name) values ('recent')`);
    // age the first rows past the retention (the superuser may; their hashes no
    // longer match, but they are exactly what the purge removes)
    await org.admin(`update rowscope.audit_log set at = at - interval '31 days' where id <= $1`, [old.at(-1)]);
    const [{ n, cut }] = await org.as('pat', 'select rowscope.purge_audit(null)::int as n, rowscope.audit_retention_cutoff() as cut');
    expect(n).toBe(old.length);
    const remaining = await ids();
    expect(remaining[0]).toBe(old.at(-1)! + 1);
    const [purge] = await org.admin(`select changes from rowscope.audit_log where action = 'purge' order by id desc limit 1`);
    expect(new Date(purge.changes.before.new).getTime()).toBe(cut.getTime());
    expect(purge.changes.deleted).toEqual({ old: null, new: old.length });
    expect(await verify(org)).toEqual([]);
  });

  it('purge_audit(null) with nothing older deletes nothing', async () => {
    const [{ n }] = await org.as('pat', 'select rowscope.purge_audit(null)::int as n');
    expect(n).toBe(0);
    expect(await verify(org)).toEqual([]);
  });
});
