// docs/security-model.md: system columns cannot be secured; profiles only name secured columns.
import { describe, expect, it } from 'vitest';
import { ModelError, parseModel } from '../../../src/model/index.ts';

const model = (securedColumns: string[], profiles: Record<string, Record<string, string[]>> = {}) => ({
  tables: { employee: { ownership: 'user', securedColumns } },
  fieldSecurityProfiles: profiles,
});

describe('field security in the model', () => {
  it.each(['owner_id', 'owning_business_unit', 'created_by', 'created_on', 'modified_by', 'modified_on', 'id'])(
    'refuses to secure the system column %s',
    (column) => {
      expect(() => parseModel(model([column]), 'm.yaml')).toThrow(ModelError);
      try {
        parseModel(model([column]), 'm.yaml');
      } catch (e) {
        expect((e as ModelError).problems.some((p) => p.path.includes('securedColumns') && p.message.includes(column))).toBe(true);
      }
    },
  );

  it('accepts a business column and normalises the profile', () => {
    const m = parseModel(model(['salary'], { pay: { 'employee.salary': ['update', 'read'] } }), 'm.yaml');
    expect(m.tables[0]!.securedColumns).toEqual(['salary']);
    expect(m.fieldSecurityProfiles).toEqual([{ name: 'pay', columns: [{ table: 'employee', column: 'salary', permissions: expect.arrayContaining(['read', 'update']) }] }]);
  });

  it('refuses a profile on a column that is not secured', () => {
    expect(() => parseModel(model(['salary'], { pay: { 'employee.title': ['read'] } }), 'm.yaml')).toThrow(/not a secured column/);
  });
});
