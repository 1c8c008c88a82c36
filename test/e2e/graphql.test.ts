// docs/graphql.md: the GraphQL API, end to end over HTTP against a real database.
// Each request runs as the user named by its token; everything a user sees or
// may change is decided by the database, so these tests look for the same
// truth through GraphQL that test/integration finds through SQL.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { GraphQLError } from 'postgraphile/graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveSettings } from '../../src/server/config.ts';
import { makeMaskError } from '../../src/server/errors.ts';
import { startServer, signToken } from '../../src/server/index.ts';
import { quoteIdentifier } from '../../src/sql/index.ts';
import type { TestDatabase } from '../support/database.ts';
import { Org } from '../support/org.ts';
import { securedDatabase } from '../support/secured.ts';
import { E2E_AUTHENTICATOR_PASSWORD, gqlClient, type GqlClient, type RunningServer } from './graphql-client.ts';
import { closeAfterAll, E2E_JWT_SECRET, personaServer } from './persona-server.ts';

let db: TestDatabase;
let org: Org;
let server: RunningServer;
let api: GqlClient;
const accounts = new Map<string, string>(); // name -> id

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('org_reader', 'service', ['reader_org']);
  await org.createUser('bu_reader', 'sales', ['reader_bu']);
  await org.createUser('seller', 'sales', ['salesperson']);
  await org.createUser('servicer', 'service', ['salesperson']);
  await org.createUser('sysadmin', 'root', ['system_administrator']);
  await org.createUser('leaver', 'sales', ['reader_bu']);
  for (const [name, owner, limit] of [['a_sales_1', 'seller', 1000], ['a_sales_2', 'seller', 2000], ['a_service', 'servicer', 3000]] as const) {
    accounts.set(name, await org.record('account', name, owner, { credit_limit: limit }));
  }
  await org.record('contact', 'c_sales_1', 'seller', { account_id: accounts.get('a_sales_1') });
  await org.record('contact', 'c_sales_2', 'seller', { account_id: accounts.get('a_sales_1') });
  await org.record('contact', 'c_service', 'servicer', { account_id: accounts.get('a_service') });
  ({ server, api } = await personaServer(db, org));
});

closeAfterAll(() => ({ server, org, db }));

const ACCOUNTS = `{ allAccounts(orderBy: NAME_ASC) { totalCount nodes { name creditLimit } } }`;

describe('reading as the user', () => {
  it('users with different read depths see different accounts', async () => {
    const orgWide = await api.ok('org_reader', ACCOUNTS);
    const buWide = await api.ok('bu_reader', ACCOUNTS);
    expect(orgWide.allAccounts.totalCount).toBe(3);
    expect(buWide.allAccounts.totalCount).toBe(2);
    expect(buWide.allAccounts.nodes.map((n: { name: string }) => n.name)).toEqual(['a_sales_1', 'a_sales_2']);
  });

  it('a secured column comes back null for non-admins, and with its value for a system administrator', async () => {
    const reader = await api.ok('org_reader', ACCOUNTS);
    expect(reader.allAccounts.nodes.map((n: { creditLimit: unknown }) => n.creditLimit)).toEqual([null, null, null]);
    const owner = await api.ok('seller', ACCOUNTS);
    expect(owner.allAccounts.nodes.every((n: { creditLimit: unknown }) => n.creditLimit === null)).toBe(true);
    const admin = await api.ok('sysadmin', ACCOUNTS);
    expect(admin.allAccounts.nodes.map((n: { creditLimit: unknown }) => Number(n.creditLimit))).toEqual([1000, 2000, 3000]);
  });

  it('relations between api views work, and are filtered as well', async () => {
    const query = `{ allAccounts(orderBy: NAME_ASC) { nodes { name contactsByAccountId(orderBy: NAME_ASC) { totalCount nodes { name accountByAccountId { name } } } } } }`;
    const reader = await api.ok('org_reader', query);
    expect(reader.allAccounts.nodes).toEqual([
      { name: 'a_sales_1', contactsByAccountId: { totalCount: 2, nodes: [
        { name: 'c_sales_1', accountByAccountId: { name: 'a_sales_1' } },
        { name: 'c_sales_2', accountByAccountId: { name: 'a_sales_1' } },
      ] } },
      { name: 'a_sales_2', contactsByAccountId: { totalCount: 0, nodes: [] } },
      { name: 'a_service', contactsByAccountId: { totalCount: 1, nodes: [{ name: 'c_service', accountByAccountId: { name: 'a_service' } }] } },
    ]);
    // bu_reader may read accounts but no contacts: the relation is empty, not an error
    const buReader = await api.ok('bu_reader', `{ accountById(id: "${accounts.get('a_sales_1')}") { name contactsByAccountId { totalCount } } }`);
    expect(buReader.accountById).toEqual({ name: 'a_sales_1', contactsByAccountId: { totalCount: 0 } });
  });

  it('a record the user cannot read is simply absent', async () => {
    const data = await api.ok('bu_reader', `{ accountById(id: "${accounts.get('a_service')}") { name } }`);
    expect(data.accountById).toBeNull();
  });

  it('exposes rowscope.whoami and rowscope.has_privilege, and hides the catalog and internal helpers', async () => {
    const data = await api.ok('seller', `{ rowscopeWhoami rowscopeHasPrivilege(name: "export_to_excel") }`);
    expect(data).toEqual({ rowscopeWhoami: org.id('seller'), rowscopeHasPrivilege: false });
    const fields = await api.ok('seller', `{ __schema { queryType { fields { name } } mutationType { fields { name } } types { name } } }`);
    const names = [
      ...fields.__schema.queryType.fields.map((f: { name: string }) => f.name),
      ...fields.__schema.mutationType.fields.map((f: { name: string }) => f.name),
      ...fields.__schema.types.map((t: { name: string }) => t.name),
    ];
    expect(names).toContain('rowscopeWhoami');
    // the security data shows through its api views (SystemUser, RoleAssignment,
    // RecordShare: test/e2e/security-views.test.ts), never the catalog tables
    for (const hidden of [/^rowscope_/i, /^rowscopeScope/, /^RowscopeSystemUser/, /^RowscopeRoleAssignment/, /SecuredTable/, /^RowscopeRecordShare/, /Field[A-Z].*CreditLimit/, /BuClosure/, /SecurityEpoch/, /AccessCache/]) {
      expect(names.filter((n) => hidden.test(n))).toEqual([]);
    }
  });
});

describe('explaining and sharing through GraphQL', () => {
  it('exposes check_access and explain_access as queries, grant_access as a mutation', async () => {
    const id = accounts.get('a_sales_1');
    const data = await api.ok('seller', `{ rowscopeCheckAccess(tableName: "account", recordId: "${id}")
      rowscopeExplainAccess(tableName: "account", recordId: "${id}") { nodes { accessRight granted reasons } } }`);
    expect(data.rowscopeCheckAccess).toContain('read');
    const read = data.rowscopeExplainAccess.nodes.find((n: { accessRight: string }) => n.accessRight === 'read');
    expect(read.granted).toBe(true);
    expect(read.reasons.join(' ')).toMatch(/role salesperson/);
    const fields = await api.ok('seller', `{ __schema { mutationType { fields { name } } } }`);
    expect(fields.__schema.mutationType.fields.map((f: { name: string }) => f.name)).toContain('rowscopeGrantAccess');
  });
});

describe('writing as the user', () => {
  it('creates, updates and deletes through the views as the user', async () => {
    const created = await api.ok('seller', `mutation { createAccount(input: { account: { name: "made_by_seller" } }) { account { id name ownerId } } }`);
    const { id, ownerId } = created.createAccount.account;
    expect(ownerId).toBe(org.id('seller'));
    const updated = await api.ok('seller', `mutation($id: UUID!) { updateAccountById(input: { id: $id, accountPatch: { name: "renamed" } }) { account { name } } }`, { id });
    expect(updated.updateAccountById.account.name).toBe('renamed');
    const deleted = await api.ok('seller', `mutation($id: UUID!) { deleteAccountById(input: { id: $id }) { account { id } } }`, { id });
    expect(deleted.deleteAccountById.account.id).toBe(id);
    expect(await org.admin('select 1 from app.account where id = $1', [id])).toEqual([]);
  });

  it('a refused update comes back as a GraphQL error with the database\'s 42501 message, and changes nothing', async () => {
    const id = accounts.get('a_sales_1')!;
    const res = await api.post('bu_reader', `mutation($id: UUID!) { updateAccountById(input: { id: $id, accountPatch: { name: "hijacked" } }) { account { name } } }`, { id });
    expect(res.status).toBe(200);
    expect(res.body.data?.updateAccountById ?? null).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    const error = res.body.errors![0];
    expect(error.message).toMatch(new RegExp(`^rowscope: ${org.role('bu_reader')} lacks write on account ${id}`));
    expect(error.extensions).toEqual({ code: '42501' });
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/); // no stack trace
    expect(await org.admin('select name from app.account where id = $1', [id])).toEqual([{ name: 'a_sales_1' }]);
  });

  it('a refused create names the missing right too', async () => {
    const res = await api.post('org_reader', `mutation { createAccount(input: { account: { name: "nope" } }) { account { id } } }`);
    expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`^rowscope: ${org.role('org_reader')} lacks create on account`));
    expect(res.body.errors![0].extensions).toEqual({ code: '42501' });
  });
});

describe('authentication', () => {
  const QUERY = '{ rowscopeWhoami }';

  it('accepts a valid token', async () => {
    expect(await api.ok('bu_reader', QUERY)).toEqual({ rowscopeWhoami: org.id('bu_reader') });
  });

  const cases: Array<[string, () => Promise<string | undefined>]> = [
    ['no Authorization header', async () => undefined],
    ['a header that is not Bearer', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    ['a malformed token', async () => 'Bearer not-a-jwt'],
    ['an expired token', async () => `Bearer ${await signToken(E2E_JWT_SECRET, org.id('bu_reader'), Math.floor(Date.now() / 1000) - 60)}`],
    ['a bad signature', async () => `Bearer ${await signToken('another-secret-0123456789abcdef012345', org.id('bu_reader'))}`],
    ['an unsigned token (alg none)', async () => `Bearer ${unsignedToken(org.id('bu_reader'))}`],
    ['a sub that is no user id', async () => `Bearer ${await signToken(E2E_JWT_SECRET, 'bu_reader')}`],
    ['a token for an unknown user', async () => `Bearer ${await signToken(E2E_JWT_SECRET, randomUUID())}`],
  ];
  for (const [name, header] of cases) {
    it(`401 for ${name}`, async () => {
      const res = await api.raw(await header(), QUERY);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await res.json();
      expect(body).toEqual({ errors: [{ message: expect.any(String) }] });
    });
  }

  it('401 for a disabled user, from the next request on', async () => {
    expect(await api.ok('leaver', QUERY)).toEqual({ rowscopeWhoami: org.id('leaver') });
    await org.admin('select rowscope.disable_user($1)', [org.id('leaver')]);
    const res = await api.post('leaver', QUERY);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: [{ message: 'the user is disabled' }] });
  });
});

describe('tokens from a JWKS endpoint', () => {
  it('accepts a token signed by a key of the set, and refuses HS256 and unknown keys', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const other = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
    const sign = (key: CryptoKey, kid: string) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(org.id('seller')).setExpirationTime('5m').sign(key);
    const jwksApi = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwksUrl });
    try {
      const client = gqlClient(jwksApi.url, async () => sign(privateKey, 'k1'));
      expect(await client.ok('seller', '{ rowscopeWhoami }')).toEqual({ rowscopeWhoami: org.id('seller') });
      for (const header of [`Bearer ${await sign(other.privateKey, 'k2')}`, `Bearer ${await sign(other.privateKey, 'k1')}`, `Bearer ${await signToken(E2E_JWT_SECRET, org.id('seller'))}`]) {
        expect((await client.raw(header, '{ rowscopeWhoami }')).status).toBe(401);
      }
    } finally {
      await jwksApi.close();
      await new Promise((resolve) => jwksServer.close(resolve));
    }
  });
});

describe('configuration', () => {
  const base = { databaseUrl: 'postgres://authenticator@db/app' };
  it('needs a way to verify tokens, and a long enough secret', () => {
    expect(() => resolveSettings(base, {})).toThrow(/ROWSCOPE_JWT_SECRET|ROWSCOPE_JWKS_URL/);
    expect(() => resolveSettings(base, { ROWSCOPE_JWT_SECRET: 'short' })).toThrow(/at least 32/);
  });
  it('production from NODE_ENV, introspection only when enabled there', () => {
    const env = { ROWSCOPE_JWT_SECRET: E2E_JWT_SECRET, NODE_ENV: 'production' };
    expect(resolveSettings(base, env)).toMatchObject({ production: true, introspection: false });
    expect(resolveSettings(base, { ...env, ROWSCOPE_GRAPHQL_INTROSPECTION: '1' })).toMatchObject({ production: true, introspection: true });
    expect(resolveSettings({ ...base, production: false }, env)).toMatchObject({ production: false, introspection: true });
  });
  it('reads the catalog on ROWSCOPE_ADMIN_DATABASE_URL when given, else on DATABASE_URL', () => {
    const env = { ROWSCOPE_JWT_SECRET: E2E_JWT_SECRET };
    expect(resolveSettings(base, env).adminDatabaseUrl).toBe(base.databaseUrl);
    expect(resolveSettings(base, { ...env, ROWSCOPE_ADMIN_DATABASE_URL: 'postgres://admin@db/app' }).adminDatabaseUrl).toBe('postgres://admin@db/app');
  });
});

describe('isolation between concurrent requests', () => {
  it('200 concurrent requests of two users over 3 connections never see each other\'s rows', async () => {
    const small = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: E2E_JWT_SECRET, maxConnections: 3 });
    try {
      const client = gqlClient(small.url, (persona) => signToken(E2E_JWT_SECRET, org.id(persona)));
      const expected: Record<string, string[]> = { seller: ['a_sales_1', 'a_sales_2'], servicer: ['a_service'] };
      const query = `{ rowscopeWhoami allAccounts(orderBy: NAME_ASC) { totalCount nodes { name } } }`;
      const results = await Promise.all(Array.from({ length: 200 }, async (_, i) => {
        const persona = i % 2 === 0 ? 'seller' : 'servicer';
        return { persona, data: await client.ok(persona, query) };
      }));
      for (const { persona, data } of results) {
        expect(data.rowscopeWhoami).toBe(org.id(persona));
        expect(data.allAccounts.nodes.map((n: { name: string }) => n.name)).toEqual(expected[persona]);
        expect(data.allAccounts.totalCount).toBe(expected[persona]!.length);
      }
    } finally {
      await small.close();
    }
  });
});

describe('development mode', () => {
  it('serves Ruru at / and GraphQL at /graphql', async () => {
    const res = await fetch(`${server.url}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/ruru/i);
  });
});

describe('production mode', () => {
  let prod: RunningServer;
  let prodApi: GqlClient;
  beforeAll(async () => {
    // production refuses a superuser request pool: requests log in as rowscope_authenticator
    prod = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: E2E_JWT_SECRET, production: true, authenticatorPassword: E2E_AUTHENTICATOR_PASSWORD });
    prodApi = gqlClient(prod.url, (persona) => signToken(E2E_JWT_SECRET, org.id(persona)));
  });
  afterAll(async () => {
    await prod?.close();
  });

  it('rejects introspection', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Account") { name } }']) {
      const res = await prodApi.post('org_reader', query);
      expect(res.body.data ?? null).toBeNull();
      expect(res.body.errors?.[0]?.message).toMatch(/introspection/i);
    }
  });

  it('still answers ordinary queries, with __typename', async () => {
    const data = await prodApi.ok('org_reader', '{ __typename allAccounts { totalCount } }');
    expect(data).toEqual({ __typename: 'Query', allAccounts: { totalCount: 3 } });
  });

  it('rejects queries nested too deeply', async () => {
    let inner = 'name';
    for (let i = 0; i < 4; i++) inner = `contactsByAccountId { nodes { accountByAccountId { ${inner} } } }`;
    const res = await prodApi.post('org_reader', `{ allAccounts { nodes { ${inner} } } }`);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/nested too deeply/);
  });

  it('rejects documents selecting too many fields', async () => {
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: allAccounts { totalCount }`).join(' ');
    const res = await prodApi.post('org_reader', `{ ${aliases} }`);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.[0]?.message).toMatch(/too many fields/);
  });

  it('serves no Ruru', async () => {
    const res = await fetch(`${prod.url}/`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
  });

  it('keeps refusal messages', async () => {
    // An update: the row guard names what is missing. (A delete by bu_reader, who
    // may delete no account at all, stops at PostgreSQL's table privilege first:
    // sql/600_ddl_table_roles.sql _bind_table_roles.)
    const id = accounts.get('a_sales_2')!;
    const res = await prodApi.post('bu_reader', `mutation($id: UUID!) { updateAccountById(input: { id: $id, accountPatch: { name: "x" } }) { account { id } } }`, { id });
    expect(res.body.errors?.[0]?.message).toMatch(new RegExp(`^rowscope: ${org.role('bu_reader')} lacks write on account ${id}`));
    expect(res.body.errors?.[0]?.extensions).toEqual({ code: '42501' });
  });
});

describe('connecting as rowscope_authenticator', () => {
  it('serves through a NOINHERIT login that may only switch to user roles, with the catalog read on the admin connection', async () => {
    // A login of its own (cluster roles are shared by every test database),
    // made a member of rowscope_authenticator: it holds exactly its rights.
    const login = org.role('graphql');
    const password = randomBytes(16).toString('hex');
    await org.admin(`create role ${quoteIdentifier(login)} login noinherit password '${password}'`);
    await org.admin(`grant rowscope_authenticator to ${quoteIdentifier(login)}`);
    const url = new URL(db.url);
    url.username = login;
    url.password = password;
    try {
      if (!process.env.ROWSCOPE_ADMIN_DATABASE_URL) {
        await expect(startServer({ databaseUrl: url.toString(), port: 0, host: '127.0.0.1', jwtSecret: E2E_JWT_SECRET }))
          .rejects.toThrow(/ROWSCOPE_ADMIN_DATABASE_URL/);
      }
      const real = await startServer({ databaseUrl: url.toString(), adminDatabaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: E2E_JWT_SECRET, maxConnections: 2 });
      try {
        const client = gqlClient(real.url, (persona) => signToken(E2E_JWT_SECRET, org.id(persona)));
        const seller = await client.ok('seller', `{ rowscopeWhoami allAccounts(orderBy: NAME_ASC) { nodes { name } } }`);
        expect(seller).toEqual({ rowscopeWhoami: org.id('seller'), allAccounts: { nodes: [{ name: 'a_sales_1' }, { name: 'a_sales_2' }] } });
        const servicer = await client.ok('servicer', `{ allAccounts { nodes { name contactsByAccountId { totalCount } } } }`);
        expect(servicer.allAccounts.nodes).toEqual([{ name: 'a_service', contactsByAccountId: { totalCount: 1 } }]);
        const refused = await client.post('bu_reader', `mutation($id: UUID!) { updateAccountById(input: { id: $id, accountPatch: { name: "x" } }) { account { name } } }`, { id: accounts.get('a_sales_2') });
        expect(refused.body.errors?.[0]?.extensions).toEqual({ code: '42501' });
      } finally {
        await real.close();
      }
    } finally {
      await org.admin(`drop role ${quoteIdentifier(login)}`);
    }
  });
});

describe('error masking', () => {
  const located = (originalError: Error) => new GraphQLError(originalError.message, { path: ['x'], originalError });
  const dbError = (code: string, message: string) => Object.assign(new Error(message), { code, severity: 'ERROR' });

  it('production: refusals, bad arguments and integrity errors keep their message and SQLSTATE', () => {
    const mask = makeMaskError(true);
    for (const code of ['42501', '22023', '23505']) {
      const masked = mask(located(dbError(code, `rowscope: message for ${code}`)));
      expect(masked.toJSON()).toEqual({ message: `rowscope: message for ${code}`, path: ['x'], extensions: { code } });
    }
  });

  it('production: anything else becomes "An error occurred" with an id, without internals', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const mask = makeMaskError(true);
      for (const original of [new Error('connect ECONNREFUSED 10.0.0.7:5432'), dbError('42P01', 'relation "app.secret" does not exist')]) {
        const json = JSON.stringify(mask(located(original)).toJSON());
        expect(json).toMatch(/An error occurred/);
        expect(json).not.toMatch(/ECONNREFUSED|app\.secret|stack/);
      }
    } finally {
      errors.mockRestore();
    }
  });

  it('development: messages pass, stacks never', () => {
    const json = makeMaskError(false)(located(new Error('something broke'))).toJSON();
    expect(json).toEqual({ message: 'something broke', path: ['x'] });
  });
});

function unsignedToken(sub: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub, exp: Math.floor(Date.now() / 1000) + 600 })}.`;
}
