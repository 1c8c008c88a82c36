import { describe, expect, it } from 'vitest';
import { canonicalJson, modelHash, parseModel } from '../../../src/model/index.ts';
import { baseModel, FILE } from './helpers.ts';

describe('modelHash', () => {
  it('is a sha256 hex digest', () => {
    expect(modelHash(parseModel(baseModel(), FILE))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order things are written in', () => {
    const a = baseModel();
    const b = { fieldSecurityProfiles: a.fieldSecurityProfiles, roles: a.roles, tables: { product: a.tables.product, contact: a.tables.contact, account: a.tables.account } };
    expect(modelHash(parseModel(b, FILE))).toBe(modelHash(parseModel(a, FILE)));
  });

  it('changes when the model changes', () => {
    const a = baseModel();
    const b = baseModel();
    b.roles.reader.privileges.account.read = 'business_unit';
    expect(modelHash(parseModel(b, FILE))).not.toBe(modelHash(parseModel(a, FILE)));
  });

  it('sorts keys at every level', () => {
    expect(canonicalJson({ b: [{ d: 1, c: 2 }], a: null })).toBe('{"a":null,"b":[{"c":2,"d":1}]}');
  });
});
