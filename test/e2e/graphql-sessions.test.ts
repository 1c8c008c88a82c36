// docs/graphql.md, "Authentication": each request's session (src/server/auth.ts,
// src/server/session.ts). The server keeps a connection acting as the last user
// it served and remembers verified tokens, so these tests put every request
// through ONE connection and look for what must never carry over: another
// user's role, a disabled user, an expired token, a failed statement. And the
// auth path holds no module state: two servers in one process keep apart.
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, signToken } from '../../src/server/index.ts';
import type { TestDatabase } from '../support/database.ts';
import { Org } from '../support/org.ts';
import { securedDatabase } from '../support/secured.ts';
import { E2E_AUTHENTICATOR_PASSWORD, gqlClient, type GqlClient, type RunningServer } from './graphql-client.ts';

const SECRET = 'rowscope-test-secret-sessions-0123456789';
const OTHER_SECRET = 'rowscope-test-secret-other-server-0123456789';
const WHOAMI = '{ rowscopeWhoami }';
const ACCOUNTS = '{ allAccounts(orderBy: NAME_ASC) { nodes { name } } }';

let db: TestDatabase;
let org: Org;
const servers: RunningServer[] = [];
const apis = new Map<string, GqlClient>();
const urls = new Map<string, string>();

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('seller', 'sales', ['salesperson']);
  await org.createUser('servicer', 'service', ['salesperson']);
  await org.createUser('org_reader', 'service', ['reader_org']);
  await org.record('account', 'a_sales', 'seller');
  await org.record('account', 'a_service', 'servicer');
  // One connection each, through rowscope_authenticator as in production:
  // every request below reuses the connection the previous one left behind.
  for (const roleScope of SCOPES) {
    const server = await startServer({
      databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: SECRET, maxConnections: 1,
      authenticatorPassword: E2E_AUTHENTICATOR_PASSWORD, production: true, roleScope,
    });
    servers.push(server);
    urls.set(roleScope, server.url);
    apis.set(roleScope, gqlClient(server.url, (persona) => signToken(SECRET, org.id(persona))));
  }
});

afterAll(async () => {
  for (const server of servers) await server.close();
  await org?.close();
  await db?.drop();
});

const SCOPES = ['transaction', 'session'] as const;

describe.each(SCOPES)('role per %s', (scope) => {
  let api: GqlClient;
  beforeAll(() => {
    api = apis.get(scope)!;
  });
describe('one connection, many users', () => {
  it('each request acts as its own user, whoever the connection served before', async () => {
    const order = ['seller', 'servicer', 'seller', 'org_reader', 'org_reader', 'servicer', 'seller'];
    for (const persona of order) {
      expect(await api.ok(persona, WHOAMI), persona).toEqual({ rowscopeWhoami: org.id(persona) });
    }
    expect(await api.ok('seller', ACCOUNTS)).toEqual({ allAccounts: { nodes: [{ name: 'a_sales' }] } });
    expect(await api.ok('org_reader', ACCOUNTS)).toEqual({ allAccounts: { nodes: [{ name: 'a_sales' }, { name: 'a_service' }] } });
    expect(await api.ok('servicer', ACCOUNTS)).toEqual({ allAccounts: { nodes: [{ name: 'a_service' }] } });
  });

  it('concurrent requests of three users queue for the connection and never see each other\'s rows', async () => {
    const expected: Record<string, string[]> = { seller: ['a_sales'], servicer: ['a_service'], org_reader: ['a_sales', 'a_service'] };
    const personas = Array.from({ length: 60 }, (_, i) => Object.keys(expected)[i % 3]!);
    const answers = await Promise.all(personas.map((p) => api.ok(p, ACCOUNTS)));
    answers.forEach((a, i) => expect(a.allAccounts.nodes.map((n: { name: string }) => n.name), personas[i]).toEqual(expected[personas[i]!]));
  });

  it('a refused write leaves the connection to the next user unharmed, and changes nothing', async () => {
    const [{ id }] = (await org.admin("select id from app.account where name = 'a_service'")) as [{ id: string }];
    const refused = await api.post('org_reader', 'mutation($id: UUID!) { updateAccountById(input: { id: $id, accountPatch: { name: "x" } }) { account { name } } }', { id });
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: '42501' });
    expect(await api.ok('servicer', WHOAMI)).toEqual({ rowscopeWhoami: org.id('servicer') });
    const renamed = await api.ok('servicer', 'mutation($id: UUID!) { updateAccountById(input: { id: $id, accountPatch: { name: "a_service" } }) { account { name } } }', { id });
    expect(renamed.updateAccountById.account.name).toBe('a_service');
    expect(await org.admin('select name from app.account order by name')).toEqual([{ name: 'a_sales' }, { name: 'a_service' }]);
  });
  it('a client sending its body slowly holds no connection meanwhile (the only one here)', async () => {
    const { hostname, port } = new URL(urls.get(scope)!);
    const token = await signToken(SECRET, org.id('seller'));
    const body = JSON.stringify({ query: WHOAMI });
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    socket.write(`POST /graphql HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\n` +
      `Authorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
    try {
      // time for the server to authenticate it and wait for the rest
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await api.ok('servicer', WHOAMI)).toEqual({ rowscopeWhoami: org.id('servicer') });
    } finally {
      socket.destroy();
    }
  }, 20_000);

  it('requests abandoned mid-way leave nothing behind: the next ones act as their own users, and the connection waits in no transaction', async () => {
    const personas = ['seller', 'servicer', 'org_reader'];
    const abandoned = await Promise.allSettled(Array.from({ length: 30 }, async (_, i) => {
      const token = await signToken(SECRET, org.id(personas[i % 3]!));
      const controller = new AbortController();
      setTimeout(() => controller.abort(), i % 5);
      const res = await fetch(`${urls.get(scope)}/graphql`, {
        method: 'POST', signal: controller.signal,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: ACCOUNTS }),
      });
      return res.json();
    }));
    expect(abandoned.filter((a) => a.status === 'rejected').length).toBeGreaterThan(0);
    const expected: Record<string, string[]> = { seller: ['a_sales'], servicer: ['a_service'], org_reader: ['a_sales', 'a_service'] };
    const order = ['org_reader', 'seller', 'servicer', 'seller', 'org_reader', 'servicer'];
    const answers = await Promise.all(order.map((p) => api.ok(p, ACCOUNTS)));
    answers.forEach((a, i) => expect(a.allAccounts.nodes.map((n: { name: string }) => n.name), order[i]).toEqual(expected[order[i]!]));
    const states = await org.admin("select state from pg_stat_activity where application_name = 'rowscope-graphql' and datname = current_database()");
    expect(states.length).toBeGreaterThan(0);
    expect(states).toEqual(states.map(() => ({ state: 'idle' })));
  });
});

describe('what is checked on every request', () => {
  it('a user disabled after a request is refused at the next one, on the connection that served them; re-enabled, let in again', async () => {
    expect(await api.ok('seller', WHOAMI)).toEqual({ rowscopeWhoami: org.id('seller') });
    await org.admin('select rowscope.disable_user($1)', [org.id('seller')]);
    try {
      const res = await api.post('seller', WHOAMI);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: [{ message: 'the user is disabled' }] });
      expect(await api.ok('servicer', WHOAMI)).toEqual({ rowscopeWhoami: org.id('servicer') });
    } finally {
      await org.admin('select rowscope.enable_user($1)', [org.id('seller')]);
    }
    expect(await api.ok('seller', WHOAMI)).toEqual({ rowscopeWhoami: org.id('seller') });
  });

  it('a verified token is not remembered past its exp (jose\'s 5 s clock tolerance included)', async () => {
    const token = await signToken(SECRET, org.id('servicer'), Math.floor(Date.now() / 1000) + 2);
    expect((await api.raw(`Bearer ${token}`, WHOAMI)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const res = await api.raw(`Bearer ${token}`, WHOAMI);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ message: 'the token has expired' }] });
  }, 30_000);

  it('a token that failed once fails again (failures are not remembered as anything else)', async () => {
    const forged = await signToken(OTHER_SECRET, org.id('servicer'));
    for (let i = 0; i < 2; i++) expect((await api.raw(`Bearer ${forged}`, WHOAMI)).status).toBe(401);
  });
});

});

describe('no module state', () => {
  let api: GqlClient;
  beforeAll(() => {
    api = apis.get('session')!;
  });
  it('two servers in one process each keep their own secret, users and connections', async () => {
    const other = await startServer({
      databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: OTHER_SECRET, maxConnections: 1,
      authenticatorPassword: E2E_AUTHENTICATOR_PASSWORD, production: true, roleScope: 'session',
    });
    try {
      const otherApi = gqlClient(other.url, (persona) => signToken(OTHER_SECRET, org.id(persona)));
      const both = await Promise.all([
        ...['seller', 'servicer', 'org_reader'].map((p) => api.ok(p, WHOAMI)),
        ...['org_reader', 'seller', 'servicer'].map((p) => otherApi.ok(p, WHOAMI)),
      ]);
      expect(both.map((d) => d.rowscopeWhoami)).toEqual(
        [...['seller', 'servicer', 'org_reader'], ...['org_reader', 'seller', 'servicer']].map((p) => org.id(p)));
      // Each refuses the other's tokens.
      expect((await otherApi.raw(`Bearer ${await signToken(SECRET, org.id('seller'))}`, WHOAMI)).status).toBe(401);
      expect((await api.raw(`Bearer ${await signToken(OTHER_SECRET, org.id('seller'))}`, WHOAMI)).status).toBe(401);
    } finally {
      await other.close();
    }
    expect(await api.ok('seller', WHOAMI)).toEqual({ rowscopeWhoami: org.id('seller') });
  });
});
