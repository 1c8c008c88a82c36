// The model options of issue 17 items 6 and 7: a table's own hierarchyDepth
// (validated like hierarchy.depth, only where the hierarchy applies) and
// auditRetention ('<n> days|weeks|months|years', canonical in the model and
// the catalog).
import { describe, expect, it } from 'vitest';
import { catalogOf, compileCatalogSync } from '../../../src/compile/catalog.ts';
import { parseModel } from '../../../src/model/index.ts';
import { modelHash } from '../../../src/model/hash.ts';
import { baseModel, expectProblem, FILE } from './helpers.ts';

const withHierarchy = (depth: unknown, hierarchySecurity: unknown = true, model = 'manager') => {
  const m = baseModel();
  m.hierarchy = { model };
  m.tables.account.hierarchySecurity = hierarchySecurity;
  m.tables.account.hierarchyDepth = depth;
  return m;
};

describe('tables.<t>.hierarchyDepth', () => {
  it('is kept in the model and the catalog; absent, neither mentions it', () => {
    const model = parseModel(withHierarchy(5), FILE);
    expect(model.tables.find((t) => t.name === 'account')!.hierarchyDepth).toBe(5);
    const tables = catalogOf(model).tables;
    expect(tables.find((t) => t.name === 'account')).toMatchObject({ hierarchyDepth: 5 });
    expect('hierarchyDepth' in tables.find((t) => t.name === 'contact')!).toBe(false);
  });

  it('changes the model hash (a new migration is generated)', () => {
    expect(modelHash(parseModel(withHierarchy(5), FILE))).not.toBe(modelHash(parseModel(withHierarchy(4), FILE)));
  });

  it('is a whole number of levels in 1..100', () => {
    expectProblem(withHierarchy(0), 'tables.account.hierarchyDepth', 'at least 1');
    expectProblem(withHierarchy(101), 'tables.account.hierarchyDepth', 'at most 100');
    expectProblem(withHierarchy(1.5), 'tables.account.hierarchyDepth', 'whole number');
    expect(() => parseModel(withHierarchy(100), FILE)).not.toThrow();
  });

  it('needs hierarchySecurity on the table and a hierarchy model', () => {
    expectProblem(withHierarchy(2, false), 'tables.account.hierarchyDepth', 'hierarchySecurity: true');
    expectProblem(withHierarchy(2, true, 'none'), 'tables.account.hierarchyDepth', "hierarchy.model is 'none'");
  });
});

describe('auditRetention', () => {
  const withRetention = (value: unknown) => ({ ...baseModel(), auditRetention: value });

  it('accepts days, weeks, months and years, in canonical form', () => {
    const cases: [string, string][] = [['90 days', '90 days'], ['1 day', '1 day'], ['2 Weeks', '2 weeks'], [' 6 month ', '6 months'], ['1 years', '1 year'], ['7years', '7 years']];
    for (const [given, canonical] of cases) expect(parseModel(withRetention(given), FILE).auditRetention).toBe(canonical);
  });

  it('is absent from the model and the catalog unless given', () => {
    const model = parseModel(baseModel(), FILE);
    expect('auditRetention' in model).toBe(false);
    expect('auditRetention' in catalogOf(model).settings).toBe(false);
    expect(catalogOf(parseModel(withRetention('90 days'), FILE)).settings).toMatchObject({ auditRetention: '90 days' });
    expect(compileCatalogSync(parseModel(withRetention('90 days'), FILE)).text).toContain('"auditRetention": "90 days"');
  });

  it('refuses what is no retention, with the fix', () => {
    expectProblem(withRetention('90'), 'auditRetention', "'90' is not a retention", "'<n> days'");
    expectProblem(withRetention('3 fortnights'), 'auditRetention', 'not a retention');
    expectProblem(withRetention('-1 days'), 'auditRetention', 'not a retention');
    expectProblem(withRetention('0 days'), 'auditRetention', 'keeps no history');
    expectProblem(withRetention('1001 years'), 'auditRetention', 'more than 1000 years', 'at most 1000 years');
    expectProblem(withRetention('365251 days'), 'auditRetention', 'at most 365250 days');
    expectProblem(withRetention(90), 'auditRetention', 'expected a string');
  });
});
