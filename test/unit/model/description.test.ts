// `description` on tables and columns (src/model/description.ts): kept in the
// normalised model only when given (so other models keep their hash), and
// refused when a line could be read by PostGraphile as a smart tag.
import { describe, expect, it } from 'vitest';
import { modelHash, parseModel } from '../../../src/model/index.ts';
import { parseSmartComment } from 'postgraphile/graphile-build-pg/pg-introspection';
import { baseModel, expectProblem, FILE } from './helpers.ts';

describe('descriptions in the model', () => {
  it('are kept on the table and per column, sorted by column', () => {
    const m = baseModel();
    m.tables.account.description = 'Companies we sell to.\nOne row per legal entity.';
    m.tables.account.columns = { revenue: { description: 'Yearly, in USD. Mail sales@contoso.example' }, name: { description: 'Legal name' }, credit_limit: {} };
    const table = parseModel(m, FILE).tables.find((t) => t.name === 'account')!;
    expect(table.description).toBe('Companies we sell to.\nOne row per legal entity.');
    expect(table.columnDescriptions).toEqual({ name: 'Legal name', revenue: 'Yearly, in USD. Mail sales@contoso.example' });
    expect(Object.keys(table.columnDescriptions!)).toEqual(['name', 'revenue']);
  });

  it('leave a model without them as it was (same hash, no keys)', () => {
    const plain = parseModel(baseModel(), FILE);
    const withEmptyColumns = baseModel();
    withEmptyColumns.tables.account.columns = { name: {} };
    const parsed = parseModel(withEmptyColumns, FILE);
    expect(modelHash(parsed)).toBe(modelHash(plain));
    expect('description' in parsed.tables[0]!).toBe(false);
    expect('columnDescriptions' in parsed.tables[0]!).toBe(false);
  });

  it('change the hash when one is added', () => {
    const m = baseModel();
    m.tables.product.description = 'What we sell.';
    expect(modelHash(parseModel(m, FILE))).not.toBe(modelHash(parseModel(baseModel(), FILE)));
  });

  const INJECTIONS = ['@behavior -*', 'Fine first line\n@omit', '\n@foreignKey (id) references api.account (id)', '  \t@name other', 'x\r\n@deprecated'];
  it.each(INJECTIONS)('refuse a line PostGraphile would read as a smart tag: %j', (text) => {
    const onTable = baseModel();
    onTable.tables.account.description = text;
    expectProblem(onTable, 'tables.account.description', "begins with '@'", 'smart tag');
    const onColumn = baseModel();
    onColumn.tables.contact.columns = { email: { description: text } };
    expectProblem(onColumn, 'tables.contact.columns.email.description', "begins with '@'");
  });

  it('accept only descriptions that PostGraphile parses without tags, as written', () => {
    for (const text of ['Email: @user', 'a @b', 'Costs in € — see docs']) {
      const m = baseModel();
      m.tables.account.description = text;
      expect(parseModel(m, FILE).tables.find((t) => t.name === 'account')!.description).toBe(text);
      const parsed = parseSmartComment(text);
      expect(parsed.tags).toEqual({});
      expect(parsed.description).toBe(text);
    }
  });

  it('refuse empty, control characters and unknown column keys', () => {
    const empty = baseModel();
    empty.tables.account.description = '  ';
    expectProblem(empty, 'tables.account.description', 'empty');
    const control = baseModel();
    control.tables.account.description = 'bell\u0007';
    expectProblem(control, 'tables.account.description', 'control character');
    const unknown = baseModel();
    unknown.tables.account.columns = { name: { label: 'x' } };
    expectProblem(unknown, 'tables.account.columns.name.label', "unknown key 'label'");
    const badColumn = baseModel();
    badColumn.tables.account.columns = { Name: { description: 'x' } };
    expect(() => parseModel(badColumn, FILE)).toThrow();
  });
});
