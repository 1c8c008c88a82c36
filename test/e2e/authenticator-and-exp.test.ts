// The outside test's F11 and F13 through GraphQL: the server's request pool
// logs in as rowscope_authenticator (as `rowscope demo` does, with a password
// it sets), every request still runs as its token's user, tokens without `exp`
// are refused unless ROWSCOPE_JWT_REQUIRE_EXP=0, and updateAccountById cannot
// be used to guess a masked secured value.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings } from '../../src/server/config.ts';
import { startServer, signToken } from '../../src/server/index.ts';
import type { TestDatabase } from '../support/database.ts';
import { Org } from '../support/org.ts';
import { securedDatabase } from '../support/secured.ts';
import { E2E_AUTHENTICATOR_PASSWORD, gqlClient, type GqlClient, type RunningServer } from './graphql-client.ts';

const SECRET = 'rowscope-test-secret-0123456789abcdef';
const AUTHENTICATOR_PASSWORD = E2E_AUTHENTICATOR_PASSWORD;

let db: TestDatabase;
let org: Org;
let server: RunningServer;
let api: GqlClient;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('org_reader', 'root', ['reader_org']);
  await org.createUser('bu_reader', 'sales', ['reader_bu']);
  await org.createUser('seller', 'sales', ['salesperson']);
  await org.createUser('leaver', 'sales', ['reader_bu']);
  ids.mine = await org.record('account', 'mine', 'seller', { credit_limit: 98500 });
  ids.other = await org.record('account', 'other', 'org_reader', { credit_limit: 5000 });
  server = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: SECRET, authenticatorPassword: AUTHENTICATOR_PASSWORD });
  api = gqlClient(server.url, (persona) => signToken(SECRET, org.id(persona)));
});
afterAll(async () => {
  await server?.close();
  await org?.close();
  await db?.drop();
});

const noExp = (userId: string) => new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId).setIssuedAt()
  .sign(new TextEncoder().encode(SECRET));

describe('the request pool logs in as rowscope_authenticator', () => {
  it('its connections are rowscope_authenticator\'s, and each request runs as the token\'s user', async () => {
    const seller = await api.ok('seller', '{ rowscopeWhoami allAccounts(orderBy: NAME_ASC) { nodes { name } } }');
    expect(seller).toEqual({ rowscopeWhoami: org.id('seller'), allAccounts: { nodes: [{ name: 'mine' }] } });
    const reader = await api.ok('org_reader', '{ rowscopeWhoami allAccounts(orderBy: NAME_ASC) { nodes { name } } }');
    expect(reader).toEqual({ rowscopeWhoami: org.id('org_reader'), allAccounts: { nodes: [{ name: 'mine' }, { name: 'other' }] } });
    const logins = await org.admin(`select distinct usename::text as login from pg_stat_activity
      where datname = current_database() and application_name = 'rowscope-graphql'`);
    expect(logins).toEqual([{ login: 'rowscope_authenticator' }]);
    const [role] = await org.admin(`select rolsuper, rolbypassrls, rolinherit from pg_roles where rolname = 'rowscope_authenticator'`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolinherit: false });
  });

  it('a token of no user or of a disabled user is 401', async () => {
    expect((await api.raw(`Bearer ${await signToken(SECRET, randomUUID())}`, '{ rowscopeWhoami }')).status).toBe(401);
    expect(await api.ok('leaver', '{ rowscopeWhoami }')).toEqual({ rowscopeWhoami: org.id('leaver') });
    await org.admin('select rowscope.disable_user($1)', [org.id('leaver')]);
    const res = await api.post('leaver', '{ rowscopeWhoami }');
    expect(res.status).toBe(401);
  });

  it('a superuser request pool is refused in production', async () => {
    await expect(startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: SECRET, production: true }))
      .rejects.toThrow(/is a superuser; connect requests as rowscope_authenticator/);
  });
});

describe('tokens must carry exp', () => {
  it('a token without exp is 401', async () => {
    const res = await api.raw(`Bearer ${await noExp(org.id('seller'))}`, '{ rowscopeWhoami }');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ errors: [{ message: expect.stringMatching(/"exp"/) }] });
  });

  it('unless ROWSCOPE_JWT_REQUIRE_EXP=0', async () => {
    expect(resolveSettings({ databaseUrl: db.url, jwtSecret: SECRET }, {}).requireExp).toBe(true);
    expect(resolveSettings({ databaseUrl: db.url, jwtSecret: SECRET }, { ROWSCOPE_JWT_REQUIRE_EXP: '0' }).requireExp).toBe(false);
    // and `rowscope serve` is told the authenticator's password the same way
    expect(resolveSettings({ databaseUrl: db.url, jwtSecret: SECRET }, { ROWSCOPE_AUTHENTICATOR_PASSWORD: 'pw' }).authenticatorPassword).toBe('pw');
    const lax = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: SECRET, requireExp: false, authenticatorPassword: AUTHENTICATOR_PASSWORD });
    try {
      const client = gqlClient(lax.url, (persona) => noExp(org.id(persona)));
      expect(await client.ok('seller', '{ rowscopeWhoami }')).toEqual({ rowscopeWhoami: org.id('seller') });
    } finally {
      await lax.close();
    }
  });
});

describe('updateAccountById cannot guess a masked secured value', () => {
  const UPDATE = `mutation($id: UUID!, $v: BigFloat) { updateAccountById(input: { id: $id, accountPatch: { creditLimit: $v } }) { account { creditLimit } } }`;
  const stored = async () => (await org.admin('select credit_limit from app.account order by id')).map((r) => r.credit_limit);

  for (const [persona, record] of [['seller', 'mine'], ['org_reader', 'mine'], ['bu_reader', 'mine']] as const) {
    it(`${persona} on ${record}: the same error for the right value, a wrong one and NULL`, async () => {
      const before = await stored();
      const answers: string[] = [];
      for (const v of ['98500', '95000', null]) {
        const res = await api.post(persona, UPDATE, { id: ids[record], v });
        expect(res.body.data?.updateAccountById ?? null).toBeNull();
        answers.push(JSON.stringify(res.body.errors));
      }
      expect(new Set(answers).size, answers.join('\n')).toBe(1);
      expect(answers[0]).toContain('42501');
      expect(await stored()).toEqual(before);
    });
  }
});
