// The loaders: YAML, JSON and TypeScript config modules, the default file
// lookup, and how unreadable files are reported.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadModel, ModelError, type Model } from '../../../src/model/index.ts';

const MODEL_INDEX = pathToFileURL(fileURLToPath(new URL('../../../src/model/index.ts', import.meta.url))).href;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rowscope-model-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function loadError(file?: string): Promise<ModelError> {
  const error = await loadModel(file).then(
    () => expect.fail('expected loadModel to fail'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

const tableNames = (model: Model) => model.tables.map((t) => t.name);

describe('loadModel', () => {
  it('loads YAML (.yaml and .yml)', async () => {
    const yaml = 'tables:\n  account: { ownership: user }\nroles:\n  reader:\n    privileges:\n      account: { read: organization }\n';
    for (const name of ['rowscope.yaml', 'model.yml']) {
      const model = await loadModel(write(name, yaml));
      expect(tableNames(model)).toEqual(['account']);
      expect(model.roles[0].effectivePrivileges).toEqual({ account: { read: 'organization' } });
    }
  });

  it('loads JSON', async () => {
    const model = await loadModel(write('rowscope.json', JSON.stringify({ dataSchema: 'crm', tables: { lead: {} } })));
    expect(model.dataSchema).toBe('crm');
    expect(tableNames(model)).toEqual(['lead']);
  });

  it('loads a TypeScript config whose default export is defineModel(...)', async () => {
    // no package.json here: tsx loads the file as CommonJS
    const file = write(
      'rowscope.config.ts',
      `import { defineModel } from ${JSON.stringify(MODEL_INDEX)};\nconst owner: 'user' = 'user';\nexport default defineModel({ tables: { account: { ownership: owner } } });\n`,
    );
    expect(tableNames(await loadModel(file))).toEqual(['account']);
  });

  it('loads a TypeScript config in an ES module package, and a `model` export', async () => {
    write('package.json', '{ "type": "module" }');
    const byDefault = write('a.config.ts', `import { defineModel } from ${JSON.stringify(MODEL_INDEX)};\nexport default defineModel({ tables: { a: {} } });\n`);
    const byName = write('b.config.ts', `export const model = { tables: { b: {} } };\n`);
    expect(tableNames(await loadModel(byDefault))).toEqual(['a']);
    expect(tableNames(await loadModel(byName))).toEqual(['b']);
  });

  it('reports a TypeScript module without a model export', async () => {
    const file = write('empty.config.ts', 'export const x = 1;\n');
    const error = await loadError(file);
    expect(error.problems).toEqual([{ file, path: '', message: expect.stringContaining('export default defineModel') }]);
  });

  it('reports a TypeScript module that does not compile', async () => {
    const file = write('broken.config.ts', 'export default {\n');
    const error = await loadError(file);
    expect(error.problems[0].message).toMatch(/^cannot load the module: /);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('reports validation problems as FILE: PATH: MESSAGE lines', async () => {
    const file = write('rowscope.yaml', 'tables:\n  product: { ownership: organization }\nroles:\n  salesperson:\n    privileges:\n      product: { read: business_unit }\n');
    const error = await loadError(file);
    expect(error.message).toBe(
      `${file}: roles.salesperson.privileges.product.read: 'business_unit' is not valid for an organization-owned table; use 'none' or 'organization'`,
    );
  });

  it('reports a YAML syntax error with its line', async () => {
    const file = write('rowscope.yaml', 'tables:\n  account: {}\n  account: {}\n');
    const error = await loadError(file);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatchObject({ file, path: '' });
    expect(error.problems[0].message).toMatch(/^YAML syntax error at line 3, column \d+: /);
  });

  it('reports a JSON syntax error with its line', async () => {
    const file = write('rowscope.json', '{\n  "tables": {},\n}\n');
    const error = await loadError(file);
    expect(error.problems[0].message).toMatch(/^JSON syntax error: .*line 3/);
  });

  it('reports an unsupported file type', async () => {
    const error = await loadError(write('rowscope.toml', 'x = 1'));
    expect(error.problems[0].message).toContain('unsupported model file type');
  });

  it('reports a missing file that was asked for', async () => {
    const file = join(dir, 'nope.yaml');
    const error = await loadError(file);
    expect(error.problems).toEqual([{ file, path: '', message: expect.stringContaining('no such file') }]);
  });

  describe('default lookup in the current directory', () => {
    let previous: string;
    beforeEach(() => {
      previous = process.cwd();
      process.chdir(dir);
    });
    afterEach(() => {
      process.chdir(previous);
    });

    it('prefers rowscope.config.ts, then .yaml, .yml, .json', async () => {
      write('rowscope.json', JSON.stringify({ tables: { from_json: {} } }));
      expect(tableNames(await loadModel())).toEqual(['from_json']);
      write('rowscope.yml', 'tables: { from_yml: {} }\n');
      expect(tableNames(await loadModel())).toEqual(['from_yml']);
      write('rowscope.yaml', 'tables: { from_yaml: {} }\n');
      expect(tableNames(await loadModel())).toEqual(['from_yaml']);
      write('rowscope.config.ts', 'export default { tables: { from_ts: {} } };\n');
      expect(tableNames(await loadModel())).toEqual(['from_ts']);
    });

    it('names the file relative to the current directory', async () => {
      write('rowscope.yaml', 'tables: { Bad: {} }\n');
      const error = await loadError();
      expect(error.problems[0]).toMatchObject({ file: 'rowscope.yaml', path: 'tables.Bad' });
    });

    it('says how to get a model when there is none', async () => {
      const error = await loadError();
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0].message).toBe('no model file found; run `rowscope init` or pass --model FILE');
    });
  });
});
