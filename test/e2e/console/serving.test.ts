// How /admin is served (src/server/console.ts): the built console with a strict
// Content-Security-Policy, nothing outside the build, and the demo users (with
// their tokens) only while `rowscope demo` offers them, only to a local browser.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerDemoUsers } from '../../../src/server/console.ts';
import { startServer } from '../../../src/server/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
  db = await securedDatabase();
  server = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: 'rowscope-test-secret-0123456789abcdef' });
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

/** A raw request: the path is sent as written (no URL normalisation), with the given Host. */
function get(path: string, opts: { method?: string; host?: string } = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${port}` } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the console files', () => {
  it('serves index.html and its hashed assets, same-origin only', async () => {
    const index = await get('/admin/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");
    expect(index.headers['content-security-policy']).toContain("connect-src 'self'");
    expect(index.headers['cache-control']).toBe('no-cache');
    const script = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(index.body)?.[1];
    expect(script).toBeDefined();
    const js = await get(script!);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    // No CDN: nothing in the page or bundle loads from another origin.
    expect(index.body).not.toMatch(/https?:\/\//);
  });

  it('redirects /admin to /admin/, and serves nothing outside the build', async () => {
    const bare = await get('/admin');
    expect(bare.status).toBe(308);
    expect(bare.headers.location).toBe('/admin/');
    for (const path of ['/admin/../package.json', '/admin/%2e%2e/package.json', '/admin/assets/../../vite.config.ts', '/admin/nope.js']) {
      expect((await get(path)).status, path).toBe(404);
    }
    expect((await get('/admin/', { method: 'POST' })).status).toBe(405);
  });
});

describe('/admin/demo-users', () => {
  const users = [{ role: 'bob', name: 'Bob', title: 't', businessUnit: 'b', roles: [], id: '00000000-0000-0000-0000-000000000001', token: 'a.b.c' }];

  it('is 404 unless the demo offers its users (rowscope serve never does)', async () => {
    expect((await get('/admin/demo-users')).status).toBe(404);
    const withdraw = offerDemoUsers(async () => users);
    try {
      const offered = await get('/admin/demo-users');
      expect(offered.status).toBe(200);
      expect(offered.headers['cache-control']).toBe('no-store');
      expect(JSON.parse(offered.body)).toEqual({ users });
    } finally {
      withdraw();
    }
    expect((await get('/admin/demo-users')).status).toBe(404);
  });

  it('answers only a browser that addressed the server by a loopback name (no DNS rebinding)', async () => {
    const withdraw = offerDemoUsers(async () => users);
    try {
      expect((await get('/admin/demo-users', { host: 'evil.example:80' })).status).toBe(404);
      expect((await get('/admin/demo-users', { host: 'localhost:5678' })).status).toBe(200);
    } finally {
      withdraw();
    }
  });
});
