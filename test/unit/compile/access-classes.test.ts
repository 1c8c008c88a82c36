// Access classes have one home, rowscope._classes_of (sql/050_access_classes.sql),
// which src/compile/names.ts reads. What the compiler and the core build on that
// list must cover all of it: a read policy and a class guard for every class
// but `none` (src/compile/policies.ts), and a cluster-wide placeholder role for
// each of them to create the policies TO (sql/001_roles.sql).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileReadPolicies } from '../../../src/compile/policies.ts';
import { classesOf, classPlaceholder, ORGANIZATION_OWNED_CLASSES, USER_OWNED_CLASSES } from '../../../src/compile/names.ts';
import { loadModel } from '../../../src/model/index.ts';

const model = await loadModel(fileURLToPath(new URL('../../fixtures/models/foundation.yaml', import.meta.url)));
const rolesSql = readFileSync(new URL('../../../sql/001_roles.sql', import.meta.url), 'utf8');
const classesSql = readFileSync(new URL('../../../sql/050_access_classes.sql', import.meta.url), 'utf8');

const policyNames = (text: string, kind: string) =>
  [...text.matchAll(new RegExp(`create policy "rowscope_${kind}_([a-z_]+)"`, 'g'))].map((m) => m[1]).filter((c) => !c.endsWith('_twin'));

describe('access classes', () => {
  it('are the lists of rowscope._classes_of in sql/050', () => {
    const body = classesSql.slice(classesSql.indexOf('create function rowscope._classes_of'));
    expect(body).toContain(`array[${USER_OWNED_CLASSES.map((c) => `'${c}'`).join(', ')}]`);
    expect(body).toContain(`array[${ORGANIZATION_OWNED_CLASSES.map((c) => `'${c}'`).join(', ')}]`);
    expect(USER_OWNED_CLASSES).toContain('none');
    expect(ORGANIZATION_OWNED_CLASSES).toContain('none');
  });

  for (const ownership of ['user', 'organization'] as const) {
    it(`every class of a ${ownership}-owned table but none gets a read policy and a guard`, () => {
      const table = model.tables.find((t) => t.ownership === ownership)!;
      expect(table).toBeDefined();
      const text = compileReadPolicies(model, table).map((p) => p.text).join('\n');
      const wanted = classesOf(table).filter((c) => c !== 'none');
      expect(policyNames(text, 'read')).toEqual(wanted);
      expect(policyNames(text, 'guard')).toEqual(wanted);
      expect(text).not.toContain(classPlaceholder('none'));
    });
  }

  it('sql/001 creates the placeholder role of every class a policy is created TO', () => {
    const placeholders = [...rolesSql.matchAll(/'(rowscope_class_[a-z_]+)'/g)].map((m) => m[1]).sort();
    expect(placeholders).toEqual(USER_OWNED_CLASSES.filter((c) => c !== 'none').map(classPlaceholder).sort());
  });
});
