// docs/architecture.md / issue 5: a manager with 50 reports reads through one
// `owner_id = ANY(<array>)` arm computed once per statement (an InitPlan), and
// the owner index serves it.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('hierarchy');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('boss', 'root', ['rep']);
  await org.createUser('other', 'root', ['rep']);
  // the 50 reports in one bulk call (sql/151 create_users), their role in one statement
  const reports = Array.from({ length: 50 }, (_, i) => ({ db_role: org.role(`r${i}`), business_unit_id: org.bu('root'), manager_id: org.id('boss') }));
  await org.admin(`select rowscope.create_users($1::jsonb)`, [JSON.stringify(reports)]);
  await org.admin(`select rowscope.assign_role(u.id, 'rep') from rowscope.system_user u where u.manager_id = $1`, [org.id('boss')]);
  // 20,000 accounts of someone else, 10 per report
  await org.admin(`insert into app.account (name, owner_id)
                   select 'bulk ' || g, $1 from generate_series(1, 20000) g`, [org.id('other')]);
  await org.admin(`insert into app.account (name, owner_id)
                   select 'report ' || g, u.id from generate_series(1, 10) g, rowscope.system_user u where u.manager_id = $1`, [org.id('boss')]);
  await org.admin('analyze app.account');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

it('manager with 50 reports: owner index, access set as an InitPlan, no per-row function call', async () => {
  const c = await org.pool.connect();
  try {
    await c.query('begin');
    await c.query(`select set_config('role', $1, true)`, [org.role('boss')]);
    const { rows: count } = await c.query('select count(*)::int as n from api.account');
    expect(count[0].n).toBe(500);
    const { rows } = await c.query('explain (format json) select id, name from api.account where name ^@ $1', ['report']);
    await c.query('rollback');
    const plan = JSON.stringify(rows[0]['QUERY PLAN']);
    expect(plan).toContain('account_rs_owner');
    // the owners arm is an index condition on an InitPlan's array (computed once per statement)
    expect(plan).toMatch(/"Index Cond":"\(owner_id = ANY \(\(?\$?[^"]*InitPlan|"Index Cond":"\(owner_id = ANY \(\$\d/);
    // and no filter calls a function per row
    const filters = [...plan.matchAll(/"Filter":"([^"]*)"/g)].map((m) => m[1]);
    for (const f of filters) expect(f).not.toMatch(/rowscope\.|scope_/);
  } finally {
    c.release();
  }
});
