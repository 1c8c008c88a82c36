// `condition: { nameStartsWith }` (src/server/prefix-condition.ts) end to end:
// it returns exactly the rows the user sees anyway that start with the prefix,
// takes `%` and `_` literally, and reaches PostgreSQL as the leakproof `^@`
// (never LIKE, which loses its index under RLS for non-organization readers).
import { beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../support/database.ts';
import { Org } from '../support/org.ts';
import { securedDatabase } from '../support/secured.ts';
import { explainAs } from './explain-as.ts';
import { type GqlClient, type RunningServer } from './graphql-client.ts';
import { closeAfterAll, personaServer } from './persona-server.ts';
import { sqlSentWhile } from './sent-sql.ts';

let db: TestDatabase;
let org: Org;
let server: RunningServer;
let api: GqlClient;

// owner -> account names. `acme%x` and `acme_1` catch LIKE wildcards: as LIKE
// patterns, `acme%` and `acme_` would match every other acme row too.
const OWNED: Record<string, string[]> = {
  mine: ['acme one', 'acme%x', 'acme_1', 'Acme upper', 'other'],
  seller: ['acme two', 'acmeZ1', 'acme%%', 'xacme'],
};

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('org_reader', 'sales', ['reader_org']);
  await org.createUser('mine', 'sales', ['reader_user']); // user depth: only its own accounts
  await org.createUser('seller', 'sales', ['salesperson']);
  for (const [owner, names] of Object.entries(OWNED)) for (const name of names) await org.record('account', name, owner);
  ({ server, api } = await personaServer(db, org));
});

closeAfterAll(() => ({ server, org, db }));

const BY_PREFIX = `query($prefix: String) { allAccounts(condition: { nameStartsWith: $prefix }) { totalCount nodes { name } } }`;

async function namesByPrefix(persona: string, prefix: string | null): Promise<string[]> {
  const data = await api.ok(persona, BY_PREFIX, { prefix });
  const names = data.allAccounts.nodes.map((n: { name: string }) => n.name).sort();
  expect(data.allAccounts.totalCount).toBe(names.length);
  return names;
}

/** What the persona reads through SQL without any filter, narrowed in JS. */
async function expected(persona: string, prefix: string): Promise<string[]> {
  return (await org.visible(persona, 'account')).filter((n) => n.startsWith(prefix)).sort();
}

describe('<column>StartsWith in condition', () => {
  it('is offered for text columns only', async () => {
    const data = await api.ok('org_reader', `{ a: __type(name: "AccountCondition") { inputFields { name type { name } } }
      c: __type(name: "ContactCondition") { inputFields { name } } }`);
    const prefixFields = (t: { inputFields: Array<{ name: string }> }) => t.inputFields.map((f) => f.name).filter((n) => n.endsWith('StartsWith')).sort();
    expect(prefixFields(data.a)).toEqual(['nameStartsWith']);
    expect(prefixFields(data.c)).toEqual(['emailStartsWith', 'nameStartsWith']);
    expect(data.a.inputFields.find((f: { name: string }) => f.name === 'nameStartsWith').type.name).toBe('String');
  });

  it('returns exactly the visible rows with the prefix, for an organization-wide and a user-depth reader', async () => {
    for (const prefix of ['acme', 'acme ', 'Acme', 'other', 'nothing']) {
      const orgWide = await namesByPrefix('org_reader', prefix);
      const own = await namesByPrefix('mine', prefix);
      expect(orgWide, prefix).toEqual(await expected('org_reader', prefix));
      expect(own, prefix).toEqual(await expected('mine', prefix));
      expect(own.every((n) => OWNED.mine!.includes(n)), prefix).toBe(true); // never a row of someone else
    }
    expect(await namesByPrefix('org_reader', 'acme')).toEqual(['acme one', 'acme two', 'acme%%', 'acme%x', 'acmeZ1', 'acme_1'].sort());
    expect(await namesByPrefix('mine', 'acme')).toEqual(['acme one', 'acme%x', 'acme_1'].sort());
  });

  it('null or absent means no filter; the empty prefix matches every row', async () => {
    const all = (await org.visible('mine', 'account')).sort();
    expect(all).toEqual([...OWNED.mine!].sort());
    expect(await namesByPrefix('mine', null)).toEqual(all);
    expect(await namesByPrefix('mine', '')).toEqual(all);
    const data = await api.ok('mine', `{ allAccounts(condition: {}) { totalCount } }`);
    expect(data.allAccounts.totalCount).toBe(all.length);
  });

  it('takes % and _ literally', async () => {
    expect(await namesByPrefix('org_reader', 'acme%')).toEqual(['acme%%', 'acme%x']);
    expect(await namesByPrefix('org_reader', 'acme%%')).toEqual(['acme%%']);
    expect(await namesByPrefix('org_reader', 'acme_')).toEqual(['acme_1']);
    expect(await namesByPrefix('mine', 'acme%')).toEqual(['acme%x']);
    expect(await namesByPrefix('mine', '%')).toEqual([]);
    expect(await namesByPrefix('mine', '_')).toEqual([]);
  });

  it('combines with the equality condition', async () => {
    const data = await api.ok('org_reader', `{ allAccounts(condition: { nameStartsWith: "acme", name: "acme two" }) { nodes { name } } }`);
    expect(data.allAccounts.nodes).toEqual([{ name: 'acme two' }]);
  });

  it('reaches PostgreSQL as `^@` with a bound value, which can use a name index under the user-depth policy', async () => {
    const { result, sent } = await sqlSentWhile(() => namesByPrefix('mine', 'acme%'));
    expect(result).toEqual(['acme%x']);
    const selects = sent.filter((q) => /\bfrom\s+"api"\."account"/i.test(q.text));
    expect(selects.length).toBeGreaterThan(0);
    for (const q of selects) {
      expect(q.text).toMatch(/"name" \^@ \$\d+::"text"/);
      expect(q.text).not.toMatch(/\blike\b/i);
      expect(q.text).not.toContain('acme'); // the prefix travels as a parameter
      expect(q.values).toContain('acme%');
    }

    // The point of ^@: with a C-collated index on name, the same statement run
    // as the user-depth reader scans that index (the prefix is an Index Cond,
    // applied before the policy), which LIKE cannot do under RLS.
    await org.admin(`create index account_name_c on app.account (name collate "C")`);
    await org.admin('analyze app.account'); // plans from statistics, not defaults
    const plan = await explainAs(org, 'mine', selects[0]!.text, selects[0]!.values ?? []);
    expect(plan).toMatch(/Index (Only )?Scan using account_name_c|Bitmap Index Scan on account_name_c/);
    expect(plan).toMatch(/Index Cond: .*name.*(\^@|~>=~|>=)/);
    // LIKE, for contrast: the same reader, the same index, no index condition.
    const likePlan = await explainAs(org, 'mine', 'select name from api.account where name like $1', ['acme%']);
    expect(likePlan).not.toMatch(/Index Cond: .*name/);
  });
});
