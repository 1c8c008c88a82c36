// web/dist is committed so that `npm install && npm start` serves the console
// without a build step (docs/console.md). This keeps it honest: a fresh build
// of web/src must yield exactly the committed files (run `npm run
// build:console` and commit web/dist after changing the console).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, expect, it } from 'vitest';
import { CONSOLE_DIST } from '../../../src/server/console.ts';

const CONFIG = fileURLToPath(new URL('../../../web/vite.config.ts', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'rowscope-console-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.set(relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return found;
}

it('the committed web/dist is what web/src builds to', async () => {
  // vitest sets NODE_ENV=test, which Vite would keep (and bundle dev-only code); `npm run build:console` runs with none.
  const nodeEnv = process.env.NODE_ENV;
  delete process.env.NODE_ENV;
  try {
    await build({ configFile: CONFIG, mode: 'production', logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const fresh = files(out);
  const committed = files(CONSOLE_DIST);
  expect([...committed.keys()].sort(), 'web/dist is stale: run `npm run build:console` and commit it').toEqual([...fresh.keys()].sort());
  for (const [name, text] of fresh) expect(committed.get(name), name).toBe(text);
  expect(fresh.has('index.html')).toBe(true);
}, 60_000);
