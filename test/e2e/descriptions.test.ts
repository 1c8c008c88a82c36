// Model descriptions (src/model/description.ts, src/compile/descriptions.ts)
// in the GraphQL schema, and `rowscope schema --graphql` (graphqlSdl) printing
// them along with the filter types (src/server/filter.ts) for code generators.
import { beforeAll, describe, expect, it } from 'vitest';
import { graphqlSdl } from '../../src/cli/commands/schema.ts';
import type { TestDatabase } from '../support/database.ts';
import { Org } from '../support/org.ts';
import { securedDatabase } from '../support/secured.ts';
import { type GqlClient, type RunningServer } from './graphql-client.ts';
import { closeAfterAll, personaServer } from './persona-server.ts';

let db: TestDatabase;
let org: Org;
let server: RunningServer;
let api: GqlClient;
let sdl: string;

beforeAll(async () => {
  db = await securedDatabase('graphql');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('reader', 'root', ['reader_org']);
  sdl = await graphqlSdl(db.url);
  ({ server, api } = await personaServer(db, org));
});

closeAfterAll(() => ({ server, org, db }));

/** The SDL block `keyword Name ... { ... }`, with the description printed just before it. */
function block(keyword: string, name: string): string {
  const start = sdl.indexOf(`\n${keyword} ${name} `);
  expect(start, `${keyword} ${name} in the SDL`).toBeGreaterThanOrEqual(0);
  const before = sdl.lastIndexOf('\n}', start);
  return sdl.slice(before + 2, sdl.indexOf('\n}', start + 1) + 2);
}

describe('descriptions from the model', () => {
  it('are COMMENTs on the api view and its columns', async () => {
    const rows = await org.admin(`select obj_description('api.account'::regclass, 'pg_class') as view,
      col_description('api.account'::regclass, (select attnum from pg_attribute where attrelid = 'api.account'::regclass and attname = 'name')) as name,
      obj_description('api.contact'::regclass, 'pg_class') as contact`);
    expect(rows[0]).toEqual({
      view: 'Companies we sell to.\nOne row per legal entity; write sales@contoso.example for changes.',
      name: "The company's legal name.",
      contact: null,
    });
  });

  it('are the descriptions of the GraphQL types and fields a user sees', async () => {
    const data = await api.ok('reader', `{ a: __type(name: "Account") { description fields { name description } }
      e: __type(name: "Employee") { description fields { name description } }
      c: __type(name: "Contact") { description } }`);
    expect(data.a.description).toBe('Companies we sell to.\nOne row per legal entity; write sales@contoso.example for changes.');
    const field = (t: { fields: Array<{ name: string; description: string | null }> }, n: string) => t.fields.find((f) => f.name === n)?.description;
    expect(field(data.a, 'name')).toBe("The company's legal name.");
    expect(field(data.a, 'revenue')).toBe('Yearly revenue in USD.');
    expect(field(data.e, 'annualIncome')).toBe('Gross yearly pay; masked (null) for readers without the salary profile.');
    expect(data.e.description).toBe('One record per person on the payroll.');
    expect(data.c.description).toBeNull();
  });
});

describe('rowscope schema --graphql', () => {
  it('prints the descriptions', () => {
    const account = block('type', 'Account');
    expect(account).toContain('Companies we sell to.\nOne row per legal entity; write sales@contoso.example for changes.');
    expect(account).toMatch(/The company's legal name\."{3}\n\s+name: String\n/);
    expect(block('type', 'Employee')).toMatch(/Gross yearly pay; masked \(null\) for readers without the salary profile\.\s+"{3}\n\s+annualIncome: BigFloat/);
  });

  it('prints the filter argument and its types, with startsWith and no pattern operators', () => {
    const query = block('type', 'Query');
    const allAccounts = query.slice(query.indexOf('  allAccounts('), query.indexOf('): AccountsConnection'));
    expect(allAccounts).toMatch(/\n\s+filter: AccountFilter\n/);
    const accountFilter = block('input', 'AccountFilter');
    for (const f of ['name: StringFilter', 'revenue: BigFloatFilter', 'ownerId: UUIDFilter', 'and: [AccountFilter!]', 'or: [AccountFilter!]', 'not: AccountFilter']) {
      expect(accountFilter).toContain(f);
    }
    const stringFilter = block('input', 'StringFilter');
    expect(stringFilter).toMatch(/startsWith: String/);
    expect(stringFilter).toMatch(/`%` and `_` are literal/);
    const fields = [...stringFilter.matchAll(/^\s+(\w+): /gm)].map((m) => m[1]!);
    expect(fields).toContain('equalTo');
    expect(fields.filter((f) => /like|includes|endsWith|Insensitive/i.test(f))).toEqual([]);
    expect(block('input', 'EmployeeFilter')).toContain('annualIncome: BigFloatFilter');
  });
});
