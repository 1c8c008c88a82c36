// docs/security-model.md rule 4, manager model: what a manager reaches through reports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const rec: Record<string, string> = {};

beforeAll(async () => {
  db = await securedDatabase('hierarchy');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('east', 'sales');
  await org.createBu('service', 'root');
  // chain: boss <- mgr <- p1 <- p2 <- p3 (depth 2: mgr reaches p1 and p2)
  await org.createUser('boss', 'root', ['rep']);
  await org.createUser('mgr', 'sales', ['rep']);
  await org.createUser('p1', 'east', ['rep', 'bu_reader']);
  await org.createUser('p2', 'east', ['rep']);
  await org.createUser('p3', 'east', ['rep']);
  await org.createUser('peer', 'east', ['rep']);
  await org.createUser('noright', 'sales');
  await org.createUser('outsider', 'service', ['rep']);
  const setManager = (u: string, m: string) => org.admin('select rowscope.set_manager($1, $2)', [org.id(u), org.id(m)]);
  await setManager('mgr', 'boss');
  await setManager('p1', 'mgr');
  await setManager('p2', 'p1');
  await setManager('p3', 'p2');
  await setManager('peer', 'noright');
  await org.createTeam('east team', 'east');
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('east team'), org.id('p1')]);
  for (const p of ['mgr', 'p1', 'p2', 'p3', 'peer', 'east team']) rec[p] = await org.record('account', `acc ${p}`, p);
  rec.contact = await org.record('contact', 'contact p1', 'p1');
  rec.sharedRead = await org.record('account', 'acc shared read', 'peer');
  rec.sharedWrite = await org.record('account', 'acc shared write', 'peer');
  await org.as('peer', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', rec.sharedRead, org.id('p1'), ['read']]);
  await org.as('peer', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', rec.sharedWrite, org.id('p1'), ['read', 'write']]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const update = (persona: string, id: string) => org.as(persona, `update api.account set name = name where id = $1 returning id`, [id]);

describe('manager hierarchy', () => {
  it('reaches the records of reports within the depth, and of their owner teams, and what is shared with them', async () => {
    expect(await org.visible('mgr', 'account')).toEqual(
      ['acc east team', 'acc mgr', 'acc p1', 'acc p2', 'acc shared read', 'acc shared write'].sort());
  });

  it('stops at the depth: level 3 is out of reach', async () => {
    expect(await org.visible('mgr', 'account')).not.toContain('acc p3');
    expect(await org.visible('p1', 'account')).toContain('acc p3'); // p1 is two levels above p3
  });

  it('never passes on what a report sees only through its own roles', async () => {
    // p1 reads BU east (p3, peer records) through bu_reader; mgr does not inherit that
    expect(await org.visible('p1', 'account')).toContain('acc peer');
    expect(await org.visible('mgr', 'account')).not.toContain('acc peer');
  });

  it('level 1 gives write; level 2 gives read only', async () => {
    expect(await update('mgr', rec.p1)).toHaveLength(1);
    const r = await org.refused('mgr', 'update api.account set name = name where id = $1', [rec.p2]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(`lacks write on account ${rec.p2}`);
  });

  it('never gives delete, assign or share', async () => {
    const del = await org.refused('mgr', 'delete from api.account where id = $1', [rec.p1]);
    expect(del.code).toBe('42501');
    const share = await org.refused('mgr', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', rec.p1, org.id('outsider'), ['read']]);
    expect(share.code).toBe('42501');
  });

  it('passes on shares with no more rights than the share gives the report', async () => {
    const r = await org.refused('mgr', 'update api.account set name = name where id = $1', [rec.sharedRead]);
    expect(r.code).toBe('42501');
    expect(await update('mgr', rec.sharedWrite)).toHaveLength(1);
  });

  it('needs the manager to hold the privilege at user depth', async () => {
    // noright manages peer but holds no role
    expect(await org.visible('noright', 'account')).toEqual([]);
  });

  it('applies only to tables with hierarchySecurity', async () => {
    expect(await org.visible('mgr', 'contact')).toEqual([]);
  });

  it('requires the manager BU to be the report BU or an ancestor of it', async () => {
    await org.admin('select rowscope.set_manager($1, $2)', [org.id('p3'), org.id('outsider')]);
    expect(await org.visible('outsider', 'account')).toEqual([]); // service is not above east
    await org.admin('select rowscope.set_manager($1, $2)', [org.id('p3'), org.id('p2')]);
  });

  it('a manager change takes effect from the next statement of the same transaction', async () => {
    const c = await org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [org.role('boss')]);
      const before = (await c.query('select count(*)::int as n from api.account where id = $1', [rec.p1])).rows[0].n;
      await c.query('reset role');
      await c.query('select rowscope.set_manager($1, $2)', [org.id('p1'), org.id('boss')]);
      await c.query(`select set_config('role', $1, true)`, [org.role('boss')]);
      const after = (await c.query('select count(*)::int as n from api.account where id = $1', [rec.p1])).rows[0].n;
      await c.query('rollback');
      expect([before, after]).toEqual([1, 1]); // level 2 before (mgr's report), level 1 after: readable both
      await c.query('begin');
      await c.query('select rowscope.set_manager($1, null)', [org.id('mgr')]);
      await c.query(`select set_config('role', $1, true)`, [org.role('boss')]);
      const cut = (await c.query('select count(*)::int as n from api.account where id = $1', [rec.p1])).rows[0].n;
      await c.query('rollback');
      expect(cut).toBe(0);
    } finally {
      c.release();
    }
  });

  it('refuses a cycle with 22023 and changes nothing', async () => {
    const err = await org.admin('select rowscope.set_manager($1, $2)', [org.id('boss'), org.id('p2')]).catch((e) => e);
    expect(err.code).toBe('22023');
    expect(err.message).toContain('cycle');
    expect((await org.admin('select manager_id from rowscope.system_user where id = $1', [org.id('boss')]))[0].manager_id).toBeNull();
  });

  it('closure table equals the recursive view', async () => {
    const diff = await org.admin(`(select * from rowscope.manager_closure except select * from rowscope.manager_tree)
                                  union all (select * from rowscope.manager_tree except select * from rowscope.manager_closure)`);
    expect(diff).toEqual([]);
  });
});
