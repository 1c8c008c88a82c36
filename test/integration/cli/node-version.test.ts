// Both entry points (bin/rowscope.mjs of the package, src/cli/rowscope.mjs of
// the sources) stop on a Node older than 22 with one line and exit code 1,
// before loading anything else. The old Node is simulated by preloading a
// module that rewrites process.versions.node; the real Node 22 runs the test.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const OLD = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.11.1"})';
const ENTRIES = ['../../../bin/rowscope.mjs', '../../../src/cli/rowscope.mjs'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

describe('the Node version check', () => {
  for (const entry of ENTRIES) {
    it(`${entry.split('/').slice(-2).join('/')} refuses Node 20 in one line`, () => {
      const run = spawnSync(process.execPath, ['--import', OLD, entry, 'check', '--help'], { encoding: 'utf8' });
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`rowscope: needs Node.js 22 or newer; this is Node.js 20.11.1 (${process.execPath})\n`);
    });
  }

  it('lets Node 22 through', () => {
    const run = spawnSync(process.execPath, [ENTRIES[1]!, '--version'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  // The other CLI tests spawn the compiled build (test/support/cli-build.ts);
  // `npm start` runs the sources through tsx: one real command that way.
  it('runs a command from the sources through tsx', () => {
    const model = fileURLToPath(new URL('../../../src/demo/contoso.yaml', import.meta.url));
    const run = spawnSync(process.execPath, [ENTRIES[1]!, 'check', '--model', model], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ok: \d+ tables, \d+ roles\n$/);
  });
});
