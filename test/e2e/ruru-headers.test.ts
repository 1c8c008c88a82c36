// The demo's Ruru opens with a user's Authorization header (src/server/ruru.ts,
// src/demo/tokens.ts): the default user's, or `?as=<db_role>`'s; the tokens
// file lists every user.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_RURU_USER, ruruAuthorization, writeTokens, type DemoToken } from '../../src/demo/tokens.ts';
import { startServer, signToken } from '../../src/server/index.ts';
import { closeViews, viewsOrg, type ViewsOrg } from '../integration/security-views/setup.ts';
import type { RunningServer } from './graphql-client.ts';

const SECRET = 'rowscope-test-secret-0123456789abcdef';
let v: ViewsOrg;
let server: RunningServer;
let tokens: DemoToken[];
const dir = mkdtempSync(join(tmpdir(), 'rowscope-tokens-'));

beforeAll(async () => {
  v = await viewsOrg();
  tokens = [];
  for (const [role, persona] of [[DEFAULT_RURU_USER, 'sys'], ['plain', 'plain']] as const) {
    tokens.push({ db_role: role, user_id: v.org.id(persona), title: persona, token: await signToken(SECRET, v.org.id(persona)) });
  }
  server = await startServer({ databaseUrl: v.db.url, port: 0, host: '127.0.0.1', jwtSecret: SECRET, production: false, ruruAuthorization: ruruAuthorization(tokens) });
});
afterAll(async () => {
  await server?.close();
  await closeViews(v);
  rmSync(dir, { recursive: true, force: true });
});

const page = async (query = '') => (await fetch(`${server.url}/${query}`, { headers: { accept: 'text/html' } })).text();

it('Ruru opens with the default user\'s header, or the one named by ?as=', async () => {
  const [sys, plain] = tokens as [DemoToken, DemoToken];
  const home = await page();
  expect(home).toContain(sys.token);
  expect(home).not.toContain(plain.token);
  const asPlain = await page('?as=plain');
  expect(asPlain).toContain(plain.token);
  expect(asPlain).not.toContain(sys.token);
  const unknown = await page('?as=nobody');
  expect(unknown).not.toContain(sys.token);
  expect(unknown).not.toContain(plain.token);
});

it('the header Ruru opens with works: the request runs as that user', async () => {
  const authorization = await ruruAuthorization(tokens)('plain');
  const res = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: authorization! }, body: JSON.stringify({ query: '{ rowscopeWhoami }' }) });
  expect(((await res.json()) as { data: unknown }).data).toEqual({ rowscopeWhoami: v.org.id('plain') });
});

it('tokens.json lists every user with db_role, user_id, title and token', () => {
  const file = join(dir, '.rowscope', 'tokens.json');
  writeTokens(file, tokens);
  expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ users: tokens });
});
