// docs/architecture.md (the policy shape): for an organization reader RLS must cost
// nothing at plan time (the class policy is `using (true)`, so the planner drops
// it), and a user-depth reader's point read must still use an index. Asserted on
// EXPLAIN (FORMAT JSON) with a few thousand analyzed rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, foundation, type Foundation } from './foundation.ts';
import { explain, loadAccounts, loadProducts, nodes, problemsOfOrgPage } from './plans.ts';

let f: Foundation;
let probe: string;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('org_reader', 'service', ['reader_org']);
  await org.createUser('user_reader', 'sales', ['reader_user']);
  await org.createUser('owner_a', 'sales', ['owner_rw']);
  await org.createUser('owner_b', 'emea', ['owner_rw']);
  await loadAccounts(org, 'user_reader', 'owner_a', 'owner_b');
  await loadProducts(org);
  [{ id: probe }] = await org.admin(`select id from app.account where name = 'acc 100'`);
});
afterAll(() => close(f));

describe('organization reader', () => {
  it('first page by modified_on of the data table: Limit over the modified_on index, no RLS filter or subplan', async () => {
    const plan = await explain(f.org, 'org_reader', 'select id, name from app.account order by modified_on limit 50');
    expect(problemsOfOrgPage(plan)).toEqual([]);
  });
  it('the same page through api.account: Limit over the modified_on index, no filter, subplan or sort', async () => {
    const plan = await explain(f.org, 'org_reader', 'select id, name from api.account order by modified_on limit 50');
    expect(problemsOfOrgPage(plan)).toEqual([]);
  });
  it('the same page of a table without secured columns (api.product, organization-owned)', async () => {
    for (const rel of ['app.product', 'api.product']) {
      const plan = await explain(f.org, 'org_reader', `select id, name from ${rel} order by modified_on limit 50`);
      expect({ rel, problems: problemsOfOrgPage(plan, 'product') }).toEqual({ rel, problems: [] });
    }
  });
  it('gets the newest 50 rows', async () => {
    const rows = await f.org.as('org_reader', 'select name from app.account order by modified_on desc limit 50');
    expect(rows).toHaveLength(50);
    expect(rows[0].name).toBe('acc 1');
  });
});

describe('user-depth reader', () => {
  it('point read by id through the api view uses an index, not a sequential scan', async () => {
    const plan = await explain(f.org, 'user_reader', 'select * from api.account where id = $1', [probe]);
    const types = nodes(plan).map((n) => n['Node Type']);
    expect(types).not.toContain('Seq Scan');
    expect(types.some((t) => /^(Index Scan|Index Only Scan|Bitmap Index Scan)$/.test(t))).toBe(true);
  });
  it('finds its own record, but nobody else\'s', async () => {
    expect(await f.org.as('user_reader', 'select name from api.account where id = $1', [probe])).toEqual([{ name: 'acc 100' }]);
    const [other] = await f.org.admin(`select id from app.account where name = 'acc 101'`);
    expect(await f.org.as('user_reader', 'select name from api.account where id = $1', [other.id])).toEqual([]);
    expect((await f.org.as('user_reader', 'select count(*)::int as n from api.account'))[0].n).toBe(50);
  });
});
