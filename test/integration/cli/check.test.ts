// rowscope check / init / usage errors through the real CLI: a good model
// passes, a bad one prints one line per problem and exits 1, never a stack.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelFile } from '../../support/secured.ts';
import { errorLines, hasStackTrace, runCli } from './run-cli.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rowscope-cli-check-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rowscope check', () => {
  it('accepts a valid model and says what it holds', async () => {
    const run = await runCli(['check', '--model', fixtureModelFile('basic')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ok: 3 tables, \d+ roles\n$/);
  });

  it('prints every problem of a bad model on its own line, names the file and path, and exits 1', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, [
      'tables:',
      '  account:',
      '    ownership: usr',
      '  product:',
      '    ownership: organization',
      'roles:',
      '  seller:',
      '    privileges:',
      '      acount: { read: organization }',
      '      product: { read: business_unit }',
      '',
    ].join('\n'));
    const run = await runCli(['check', '--model', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = errorLines(run);
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line.startsWith(`${file}: `)).toBe(true);
    expect(lines.some((l) => l.includes('tables.account.ownership') && l.includes("'user'"))).toBe(true);
    expect(lines.some((l) => l.includes('roles.seller.privileges.acount') && l.includes("'account'"))).toBe(true);
    expect(lines.some((l) => l.includes('roles.seller.privileges.product.read') && l.includes("use 'none' or 'organization'"))).toBe(true);
    expect(hasStackTrace(run.stderr)).toBe(false);
  });

  it('reports a YAML syntax error and a missing file in one line each', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'tables:\n  account: [unclosed\n');
    const broken = await runCli(['check', '--model', file]);
    expect(broken.code).toBe(1);
    expect(errorLines(broken)).toHaveLength(1);
    expect(broken.stderr).toContain('YAML syntax error at line');

    const missing = await runCli(['check', '--model', join(dir, 'nope.yaml')]);
    expect(missing.code).toBe(1);
    expect(errorLines(missing)).toEqual([`${join(dir, 'nope.yaml')}: no such file; check the --model path, or run \`rowscope init\` to create one`]);
  });

  it('without --model and without a model file, says how to get one', async () => {
    const run = await runCli(['check'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).toContain('rowscope init');
  });

  it('answers usage errors with one line and exit 1', async () => {
    const unknownOption = await runCli(['check', '--bogus']);
    expect(unknownOption.code).toBe(1);
    expect(errorLines(unknownOption)).toEqual(["rowscope: unknown option '--bogus' (see rowscope check --help)"]);
    const unknownCommand = await runCli(['frobnicate']);
    expect(unknownCommand.code).toBe(1);
    expect(errorLines(unknownCommand)).toHaveLength(1);
  });

  it('has --help on every command', async () => {
    for (const command of ['init', 'check', 'generate', 'migrate', 'doctor', 'as', 'demo']) {
      const run = await runCli([command, '--help']);
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toContain(`Usage: rowscope ${command}`);
    }
  });
});

describe('rowscope init', () => {
  it('writes a starter rowscope.config.ts that passes check, and never overwrites it', async () => {
    const project = await mkdtemp(join(dir, 'project-'));
    const first = await runCli(['init'], { cwd: project });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('wrote rowscope.config.ts');
    const written = await readFile(join(project, 'rowscope.config.ts'), 'utf8');

    const check = await runCli(['check'], { cwd: project });
    expect(check.stderr).toBe('');
    expect(check.stdout).toBe('ok: 3 tables, 3 roles\n');

    const again = await runCli(['init'], { cwd: project });
    expect(again.code).toBe(1);
    expect(errorLines(again)).toEqual(['rowscope: rowscope.config.ts exists already; not overwriting it']);
    expect(await readFile(join(project, 'rowscope.config.ts'), 'utf8')).toBe(written);
  });
});
