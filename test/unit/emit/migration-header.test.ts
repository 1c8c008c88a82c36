// The header of a generated migration (src/emit/migration-file.ts): written with
// its format, read back, and refused loudly when damaged, so that `generate`
// never mistakes a secured database for a new one.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEADER_FORMAT, MigrationHeaderError, readHeader, renderMigration } from '../../../src/emit/migration-file.ts';
import { loadModel } from '../../../src/model/index.ts';

const OLD = fileURLToPath(new URL('../../fixtures/upgrade/20fab3e/1795617166622_rowscope-init.sql', import.meta.url));
const hash = (c: string) => c.repeat(64);

describe('migration header', () => {
  it('round-trips, with its format', async () => {
    const model = await loadModel(fileURLToPath(new URL('../../fixtures/models/basic.yaml', import.meta.url)));
    const text = renderMigration({ modelHash: hash('a'), coreHash: hash('b'), model }, 'basic.yaml', 'select 1;', 'select 2;');
    expect(readHeader(text)).toEqual({ format: HEADER_FORMAT, modelHash: hash('a'), coreHash: hash('b'), model });
  });

  it("reads 20fab3e's headers as format 1", () => {
    const header = readHeader(readFileSync(OLD, 'utf8'));
    expect(header?.format).toBe(1);
    expect(header?.coreHash).toBe('b781c8dab0b6205f10405dbd17169f302bbcc5a6bab469239c740ff075c6c479');
    expect(header?.model.tables.map((t) => t.name)).toEqual(['account', 'contact', 'employee', 'product']);
  });

  it('is null for a migration without one', () => {
    expect(readHeader('-- Up Migration\ncreate table x ();\n-- Down Migration\ndrop table x;\n')).toBeNull();
  });

  it('refuses a damaged one, naming the file and the problem', () => {
    const text = readFileSync(OLD, 'utf8');
    const broken = text.replace(/^-- rowscope-model: .{12}/m, '-- rowscope-model: !!!!');
    expect(() => readHeader(broken, 'm.sql')).toThrow(MigrationHeaderError);
    expect(() => readHeader(broken, 'm.sql')).toThrow(/^m\.sql has a rowscope header that cannot be read \(model: /);
    expect(() => readHeader(text.replace(/^-- rowscope-model-hash: \w+/m, '-- rowscope-model-hash: xyz'), 'm.sql'))
      .toThrow(/modelHash: a sha256 in hex/);
  });

  it('refuses a format it does not know (a newer rowscope wrote it) in one line naming the file, without reading the rest', () => {
    const text = readFileSync(OLD, 'utf8');
    for (const format of [String(HEADER_FORMAT + 1), '0', 'two', '2.5']) {
      const read = () => readHeader(`-- rowscope-format: ${format}\n${text}`, 'deploy/m.sql');
      expect(read).toThrow(MigrationHeaderError);
      expect(read).toThrow(new RegExp(`^deploy/m\\.sql has a rowscope header of format "${format.replace('.', '\\.')}"; this rowscope reads formats 1 to ${HEADER_FORMAT}: `));
    }
    // damaged in several ways at once: still one line
    const worse = text.replace(/^-- rowscope-model: .{12}/m, '-- rowscope-model: !!!!').replace(/^-- rowscope-model-hash: \w+/m, '-- rowscope-model-hash: xyz');
    expect(() => readHeader(worse, 'm.sql')).toThrow(/^[^\n]*modelHash: a sha256 in hex[^\n]*$/);
  });
});
