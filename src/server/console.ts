// The admin console (docs/console.md) at /admin: the static files Vite built
// into web/dist (committed, so `npm start` needs no build step), and — only
// while `rowscope demo` offers them — the demo users with ready tokens at
// /admin/demo-users. The console itself talks to /graphql like any client.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_PATH = '/admin';
export const CONSOLE_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
};

// Everything same-origin: the bundle, its stylesheet, and fetches to /graphql.
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export interface DemoUserEntry {
  role: string;
  name: string;
  title: string;
  businessUnit: string;
  roles: string[];
  id: string;
  token: string;
}

let demoUsers: (() => Promise<DemoUserEntry[]>) | undefined;

/**
 * `rowscope demo` offers its users (with tokens) to the console's sign-in page
 * while it runs; `rowscope serve` never calls this, so /admin/demo-users is 404
 * there. Returns the function that withdraws the offer.
 */
export function offerDemoUsers(list: () => Promise<DemoUserEntry[]>): () => void {
  demoUsers = list;
  return () => {
    if (demoUsers === list) demoUsers = undefined;
  };
}

/** The built files by URL path (/admin/assets/x.js), read once: the build never changes under a running server. */
let files: Map<string, string> | undefined;
function builtFiles(): Map<string, string> {
  if (files) return files;
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.set(`${CONSOLE_PATH}/${relative(CONSOLE_DIST, full).split(sep).join('/')}`, full);
    }
  };
  try {
    walk(CONSOLE_DIST);
  } catch {
    // No build: every console path is 404 below, with a hint.
  }
  return (files = found);
}

/** A loopback client that addressed us by a loopback name: not another machine, not a DNS-rebound page. */
function isLocal(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return loopback && (host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host));
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}, head = false): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...SECURITY_HEADERS, ...headers });
  res.end(head ? undefined : body);
}

/** Serves one request under /admin. */
export function serveConsole(req: IncomingMessage, res: ServerResponse, path: string): void {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { Allow: 'GET, HEAD' });
  if (path === CONSOLE_PATH) return send(res, 308, 'text/plain; charset=utf-8', `${CONSOLE_PATH}/\n`, { Location: `${CONSOLE_PATH}/` }, head);
  if (path === `${CONSOLE_PATH}/demo-users`) return void serveDemoUsers(req, res, head);
  const file = builtFiles().get(path === `${CONSOLE_PATH}/` ? `${CONSOLE_PATH}/index.html` : path);
  if (!file) {
    const hint = builtFiles().size ? 'not found\n' : 'the admin console is not built (npm run build:console)\n';
    return send(res, 404, 'text/plain; charset=utf-8', hint, {}, head);
  }
  // Vite names assets by content hash: cache them for good; index.html always revalidates.
  const cache = path.startsWith(`${CONSOLE_PATH}/assets/`) ? 'public, max-age=31536000, immutable' : 'no-cache';
  send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', readFileSync(file), { 'Cache-Control': cache }, head);
}

async function serveDemoUsers(req: IncomingMessage, res: ServerResponse, head: boolean): Promise<void> {
  const list = demoUsers;
  if (!list || !isLocal(req)) return send(res, 404, 'text/plain; charset=utf-8', 'not found\n', {}, head);
  try {
    const body = JSON.stringify({ users: await list() });
    send(res, 200, 'application/json; charset=utf-8', body, { 'Cache-Control': 'no-store' }, head);
  } catch (error) {
    console.error('rowscope: listing the demo users failed', error);
    send(res, 503, 'text/plain; charset=utf-8', 'the demo users are unavailable\n', {}, head);
  }
}
