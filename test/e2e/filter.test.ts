// The `filter` argument (src/server/filter.ts) end to end, as readers of
// different depths: every filtered answer is exactly what the persona reads
// through SQL with the same predicate (so never more than they see), a filter
// on a secured column they may not read tells them nothing, `startsWith`
// reaches PostgreSQL as the leakproof `^@`, and the operators docs/graphql.md
// calls index-friendly under RLS really are leakproof on this server.
import { beforeAll, describe, expect, it } from 'vitest';
import { FILTER_OPERATORS } from '../../src/server/filter.ts';
import type { TestDatabase } from '../support/database.ts';
import { Org } from '../support/org.ts';
import { securedDatabase } from '../support/secured.ts';
import { explainAs } from './explain-as.ts';
import { type GqlClient, type RunningServer } from './graphql-client.ts';
import { closeAfterAll, personaServer } from './persona-server.ts';
import { sqlSentWhile } from './sent-sql.ts';

const PERSONAS = ['org', 'bu', 'mine', 'other'] as const;

let db: TestDatabase;
let org: Org;
let server: RunningServer;
let api: GqlClient;

// owner -> [account name, revenue]. `acme%x` and `acme_1` catch LIKE wildcards.
const ACCOUNTS: Record<string, Array<[string, number | null]>> = {
  mine: [['acme one', 100], ['acme%x', 5000], ['acme_1', null], ['Acme upper', 20000], ['zeta', 7]],
  bu: [['acme two', 250], ['beta', 5000], ['acme%%', 9000]],
  other: [['acme three', 12000], ['gamma', null], ['xacme', 1]],
};

beforeAll(async () => {
  db = await securedDatabase('graphql');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('org', 'root', ['reader_org']);
  await org.createUser('bu', 'sales', ['reader_bu']);
  await org.createUser('mine', 'sales', ['reader_user']);
  await org.createUser('other', 'service', ['reader_user']);
  await org.createUser('payroll', 'root', ['reader_org']);
  await org.admin('select rowscope.add_profile_member($1, $2)', ['salary_read', org.id('payroll')]);
  for (const [owner, rows] of Object.entries(ACCOUNTS)) for (const [name, revenue] of rows) await org.record('account', name, owner, { revenue });
  for (const [owner, income] of [['mine', 50000], ['bu', 90000], ['other', 120000], ['org', 30000]] as const) {
    await org.record('employee', `employee of ${owner}`, owner, { annual_income: income, hire_date: '2020-01-15' });
  }
  ({ server, api } = await personaServer(db, org));
});

closeAfterAll(() => ({ server, org, db }));

async function accountsBy(persona: string, filter: unknown): Promise<string[]> {
  const data = await api.ok(persona, `query($f: AccountFilter) { allAccounts(filter: $f) { totalCount nodes { name } } }`, { f: filter });
  const names = data.allAccounts.nodes.map((n: { name: string }) => n.name).sort();
  expect(data.allAccounts.totalCount).toBe(names.length);
  return names;
}

async function sqlAccounts(persona: string, where: string, values: unknown[] = []): Promise<string[]> {
  return (await org.as<{ name: string }>(persona, `select name from api.account where ${where}`, values)).map((r) => r.name).sort();
}

describe('filter on connections', () => {
  it('offers only the operators docs/graphql.md lists, with startsWith and without LIKE, ILIKE or lower()', async () => {
    const data = await api.ok('org', `{ s: __type(name: "StringFilter") { inputFields { name } }
      n: __type(name: "BigFloatFilter") { inputFields { name } }
      a: __type(name: "AccountFilter") { inputFields { name } } }`);
    const names = (t: { inputFields: Array<{ name: string }> }) => t.inputFields.map((f) => f.name).sort();
    expect(names(data.s)).toEqual([...FILTER_OPERATORS, 'startsWith'].sort());
    expect(names(data.n)).toEqual([...FILTER_OPERATORS].sort());
    expect(names(data.a)).toEqual(expect.arrayContaining(['and', 'or', 'not', 'name', 'revenue', 'ownerId', 'id']));
    // no filters through relations (each one a subquery per row)
    expect(names(data.a).filter((n) => /^contacts|Exist$/.test(n))).toEqual([]);
    expect(names(data.a)).toContain('createdBy'); // a plain uuid column, not a relation
  });

  const CASES: Array<{ name: string; filter: (o: Org) => unknown; where: (o: Org) => [string, unknown[]] }> = [
    { name: 'startsWith', filter: () => ({ name: { startsWith: 'acme' } }), where: () => ['name ^@ $1', ['acme']] },
    { name: 'startsWith takes % literally', filter: () => ({ name: { startsWith: 'acme%' } }), where: () => ['name ^@ $1', ['acme%']] },
    { name: 'startsWith takes _ literally', filter: () => ({ name: { startsWith: 'acme_' } }), where: () => ['name ^@ $1', ['acme_']] },
    { name: 'numeric greaterThan', filter: () => ({ revenue: { greaterThan: '1000' } }), where: () => ['revenue > $1', [1000]] },
    { name: 'numeric range', filter: () => ({ revenue: { greaterThanOrEqualTo: '100', lessThan: '9000' } }), where: () => ['revenue >= 100 and revenue < 9000', []] },
    { name: 'isNull', filter: () => ({ revenue: { isNull: true } }), where: () => ['revenue is null', []] },
    { name: 'in', filter: () => ({ name: { in: ['beta', 'gamma', 'zeta', 'nope'] } }), where: () => ['name = any($1)', [['beta', 'gamma', 'zeta', 'nope']]] },
    { name: 'notIn', filter: () => ({ name: { notIn: ['beta', 'zeta'] } }), where: () => ['name <> all($1)', [['beta', 'zeta']]] },
    { name: 'distinctFrom', filter: () => ({ revenue: { distinctFrom: '5000' } }), where: () => ['revenue is distinct from 5000', []] },
    { name: 'owner uuid', filter: (o) => ({ ownerId: { equalTo: o.id('bu') } }), where: (o) => ['owner_id = $1', [o.id('bu')]] },
    { name: 'or', filter: () => ({ or: [{ name: { equalTo: 'zeta' } }, { revenue: { lessThanOrEqualTo: '250' } }] }), where: () => ["(name = 'zeta' or revenue <= 250)", []] },
    { name: 'not', filter: () => ({ not: { name: { startsWith: 'acme' } } }), where: () => ["not (name ^@ 'acme')", []] },
  ];

  it.each(CASES)('$name: for every reader, exactly the SQL answer over what they see', async (c) => {
    let nonEmpty = 0;
    for (const persona of PERSONAS) {
      const [where, values] = c.where(org);
      const got = await accountsBy(persona, c.filter(org));
      expect(got, persona).toEqual(await sqlAccounts(persona, where, values));
      const visible = await org.visible(persona, 'account');
      expect(got.every((n) => visible.includes(n)), persona).toBe(true);
      if (got.length) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(0); // the case filters something real
  });

  it('depth matters: the same filter gives each reader only their rows', async () => {
    const filter = { name: { startsWith: 'acme' } };
    expect(await accountsBy('mine', filter)).toEqual(['acme one', 'acme%x', 'acme_1'].sort());
    expect(await accountsBy('other', filter)).toEqual(['acme three']);
    expect(await accountsBy('bu', filter)).toEqual(['acme one', 'acme two', 'acme%%', 'acme%x', 'acme_1'].sort());
    expect(await accountsBy('org', filter)).toHaveLength(6);
  });

  it('refuses null literals instead of guessing what they mean', async () => {
    const res = await api.post('org', `{ allAccounts(filter: { name: { equalTo: null } }) { totalCount } }`);
    expect(res.body.errors?.[0]?.message).toMatch(/Null literals are forbidden/);
  });
});

describe('filter on a secured column', () => {
  const incomeOver = (persona: string, threshold: string) =>
    api.ok(persona, `query($t: BigFloat!) { allEmployees(filter: { annualIncome: { greaterThan: $t } }) { totalCount nodes { name annualIncome } } }`, { t: threshold });

  it('a reader without the field permission learns nothing: no threshold matches, whatever is stored', async () => {
    for (const t of ['-1', '0', '40000', '100000', '1000000']) {
      const data = await incomeOver('org', t);
      expect(data.allEmployees.totalCount, t).toBe(0);
    }
    // what they read, and what the masked column compares as, is NULL for every row
    const masked = await api.ok('org', `{ allEmployees(filter: { annualIncome: { isNull: true } }) { totalCount } all: allEmployees { totalCount } }`);
    expect(masked.allEmployees.totalCount).toBe(4);
    expect(masked.all.totalCount).toBe(4);
    // changing the stored value changes nothing for them
    await org.admin(`update app.employee set annual_income = 999999 where name = 'employee of bu'`);
    expect((await incomeOver('org', '500000')).allEmployees.totalCount).toBe(0);
    expect((await org.as('org', 'select count(*)::int as n from api.employee where annual_income > 500000'))[0].n).toBe(0);
  });

  it('a reader with it filters on the real values, within the rows they may read', async () => {
    await org.admin(`update app.employee set annual_income = 90000 where name = 'employee of bu'`);
    const data = await incomeOver('payroll', '60000');
    expect(data.allEmployees.nodes.map((n: { name: string }) => n.name).sort()).toEqual(['employee of bu', 'employee of other']);
    expect(data.allEmployees.nodes.map((n: { annualIncome: string }) => Number(n.annualIncome)).sort((a: number, b: number) => a - b)).toEqual([90000, 120000]);
    const viaSql = await org.as('payroll', 'select name from api.employee where annual_income > 60000 order by name');
    expect(viaSql.map((r) => r.name)).toEqual(['employee of bu', 'employee of other']);
  });
});

describe('filter SQL under RLS', () => {
  beforeAll(async () => {
    await org.admin(`create index account_name_c on app.account (name collate "C")`);
    await org.admin(`create index account_name on app.account (name)`);
    await org.admin(`create index account_revenue on app.account (revenue)`);
    await org.admin('analyze app.account'); // plans from statistics, not defaults
  });

  it('startsWith reaches PostgreSQL as `^@` with a bound value and keeps a name index for a user-depth reader', async () => {
    const { result, sent } = await sqlSentWhile(() => accountsBy('mine', { name: { startsWith: 'acme%' } }));
    expect(result).toEqual(['acme%x']);
    const selects = sent.filter((q) => /\bfrom\s+"api"\."account"/i.test(q.text));
    expect(selects.length).toBeGreaterThan(0);
    for (const q of selects) {
      expect(q.text).toMatch(/"name" \^@ \$\d+::"text"/);
      expect(q.text).not.toMatch(/\b(i?like)\b/i);
      expect(q.text).not.toContain('acme');
      expect(q.values).toContain('acme%');
    }
    const plan = await explainAs(org, 'mine', selects[0]!.text, selects[0]!.values ?? []);
    expect(plan).toMatch(/Index Cond: .*name.*(\^@|~>=~|>=)/);
  });

  it('text equality is an index condition under the row policy; numeric comparison is not (numeric_gt is not leakproof)', async () => {
    for (const persona of ['mine', 'org']) {
      expect(await explainAs(org, persona, 'select name from api.account where name = $1', ['zeta']), persona).toMatch(/Index Cond: .*name/);
      // every user has a row policy, even at organization depth: the comparison waits for it
      const numeric = await explainAs(org, persona, 'select name from api.account where revenue > $1', [1000]);
      expect(numeric, persona).not.toMatch(/Index Cond: .*revenue/);
      expect(numeric, persona).toMatch(/Filter: .*revenue > /);
    }
    // the same statement without RLS (the deployment administrator) does use the revenue index
    const c = await org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`set local enable_seqscan = off`);
      const { rows } = await c.query({ text: 'explain select name from api.account where revenue > $1', values: [1000] });
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Cond: .*revenue|Bitmap Index Scan on account_revenue/);
    } finally {
      await c.query('rollback');
      c.release();
    }
  });

  it('the leakproof functions docs/graphql.md names are leakproof on this PostgreSQL', async () => {
    const rows = await org.admin<{ type: string; op: string; leakproof: boolean }>(`
      select format_type(o.oprleft, null) as type, o.oprname as op, p.proleakproof as leakproof
      from pg_operator o join pg_proc p on p.oid = o.oprcode
      where o.oprleft = o.oprright and o.oprname in ('=', '<>', '<', '<=', '>', '>=')
        and o.oprleft in ('text'::regtype, 'uuid'::regtype, 'int4'::regtype, 'int8'::regtype, 'date'::regtype,
                          'timestamptz'::regtype, 'bool'::regtype, 'numeric'::regtype)`);
    expect(rows).toHaveLength(48);
    for (const r of rows) expect(r.leakproof, `${r.type} ${r.op}`).toBe(r.type !== 'numeric');
    const [startsWith] = await org.admin(`select p.proleakproof as leakproof from pg_operator o join pg_proc p on p.oid = o.oprcode
      where o.oprname = '^@' and o.oprleft = 'text'::regtype and o.oprright = 'text'::regtype`);
    expect(startsWith.leakproof).toBe(true);
    const [others] = await org.admin(`select bool_or(proleakproof) as any from pg_proc where proname in ('textlike', 'texticlike', 'lower')`);
    expect(others.any).toBe(false);
  });
});
