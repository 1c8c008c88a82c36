// The browser tests' world: the Contoso demo (its application schema, the
// migration `rowscope generate` writes for src/demo/contoso.yaml from this
// checkout's sql/, and the seed) in a cloned test database, rowscope's server on a free
// port in this process offering the demo users like `rowscope demo` does, and
// Debian's Chromium driven by playwright-core.
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { withClient } from '../../../src/db/client.ts';
import { seedContoso, summarize } from '../../../src/demo/seed.ts';
import { offerDemoUsers, type DemoUserEntry } from '../../../src/server/console.ts';
import { signToken, startServer } from '../../../src/server/index.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { migrateContoso } from '../../support/demo-database.ts';

const SECRET = 'rowscope-console-test-secret-0123456789';

/** The flags of /work/.library/env/machines/node.md: no sandbox (root), no network beyond loopback. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const CHROMIUM = process.env.ROWSCOPE_CHROMIUM ?? '/usr/bin/chromium';

export interface ConsoleWorld {
  db: TestDatabase;
  url: string;
  users: DemoUserEntry[];
  browser: Browser;
  id(role: string): string;
  /** Superuser SQL against the demo database. */
  sql<T = any>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function consoleWorld(): Promise<ConsoleWorld> {
  const db = await databaseFor({
    template: 'rowscope_console_demo',
    build: async (url) => {
      await migrateContoso(url);
      await seedContoso({ url });
    },
  });
  const closers: Array<() => Promise<unknown>> = [() => db.drop()];
  const close = async () => {
    for (let c = closers.pop(); c; c = closers.pop()) await c().catch(() => {});
  };
  try {
    const summary = await summarize(db.url);
    const users = await Promise.all(summary.map(async (u) => ({
      role: u.role, name: u.name, title: u.title, businessUnit: u.businessUnit, roles: u.roles, id: u.id, token: await signToken(SECRET, u.id),
    })));
    const server = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: SECRET, production: false });
    closers.push(() => server.close());
    const withdraw = offerDemoUsers(async () => users);
    closers.push(async () => withdraw());
    // Playwright gives every launch a fresh, empty profile (its own --user-data-dir).
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    closers.push(() => browser.close());
    return {
      db, url: server.url, users, browser, close,
      id: (role) => {
        const u = users.find((x) => x.role === role);
        if (!u) throw new Error(`no demo user ${role}`);
        return u.id;
      },
      sql: (text, params) => withClient(db.url, async (c) => (await c.query(text, params as unknown[])).rows),
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** A new tab (own storage) at the console's sign-in page. */
export async function openConsole(world: ConsoleWorld, viewport = DESKTOP): Promise<Page> {
  const context = await world.browser.newContext({ viewport });
  const page = await context.newPage();
  await page.goto(`${world.url}/admin/`);
  return page;
}

/** Signs in by picking the demo user on the sign-in page, as a newcomer would. */
export async function signInAs(page: Page, role: string): Promise<void> {
  await page.locator(`button[data-user="${role}"]`).click();
  await page.getByTestId('whoami').filter({ hasText: role }).waitFor();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Demo users' }).waitFor();
}

/** The number in "N account records you can read". */
export async function recordCount(page: Page): Promise<number> {
  const text = await page.getByTestId('record-count').textContent();
  const n = /^(\d+)/.exec(text ?? '')?.[1];
  if (n === undefined) throw new Error(`no record count in ${JSON.stringify(text)}`);
  return Number(n);
}

/** Saves a screenshot to $ROWSCOPE_SCREENSHOTS (docs/screenshots when regenerating them); no-op otherwise. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.ROWSCOPE_SCREENSHOTS;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: false });
}
