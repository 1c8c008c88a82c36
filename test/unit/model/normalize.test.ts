// Defaults, canonical ordering, audit forms and `extends` flattening.
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../../src/model/index.ts';
import { FILE } from './helpers.ts';

describe('defaults', () => {
  it('fills every default of an empty model', () => {
    expect(parseModel({}, FILE)).toEqual({
      dataSchema: 'app',
      apiSchema: 'api',
      ownershipAcrossBusinessUnits: false,
      alwaysMoveRecordToOwnerBusinessUnit: true,
      shareToPreviousOwnerOnAssign: false,
      keepRolesOnBusinessUnitChange: false,
      hierarchy: { model: 'none', depth: 3, managersMustBeInSameOrParentBusinessUnit: true },
      auditLogins: false,
      sessionDefaults: { lockTimeout: '5s', idleInTransactionSessionTimeout: '60s', statementTimeout: '5min' },
      miscPrivileges: [],
      tables: [],
      roles: [],
      fieldSecurityProfiles: [],
    });
  });

  it('fills the defaults of a table, a relationship and a role', () => {
    const model = parseModel(
      {
        tables: { parent: {}, child: { relationships: [{ column: 'parent_id', references: 'parent', cascade: { share: 'none' } }] } },
        roles: { nobody: {} },
        hierarchy: { model: 'position' },
      },
      FILE,
    );
    expect(model.hierarchy).toEqual({ model: 'position', depth: 3, managersMustBeInSameOrParentBusinessUnit: true });
    expect(model.tables[1]).toEqual({
      name: 'parent',
      ownership: 'user',
      hierarchySecurity: false,
      securedColumns: [],
      audit: false,
      accessTeamTemplates: {},
      relationships: [],
    });
    expect(model.tables[0].relationships).toEqual([
      { column: 'parent_id', references: 'parent', cascade: { assign: 'all', share: 'none', unshare: 'all', reparent: 'all', delete: 'remove_link' } },
    ]);
    expect(model.roles).toEqual([{ name: 'nobody', extends: [], privileges: {}, effectivePrivileges: {}, misc: [] }]);
  });
});

describe('normalisation', () => {
  it('sorts tables, roles and profiles by name', () => {
    const model = parseModel(
      {
        tables: { zeta: { securedColumns: ['b'] }, alpha: { securedColumns: ['a'] } },
        roles: { writer: {}, admin: {} },
        fieldSecurityProfiles: { z_profile: { 'zeta.b': ['read'] }, a_profile: { 'zeta.b': ['read'], 'alpha.a': ['update', 'read'] } },
      },
      FILE,
    );
    expect(model.tables.map((t) => t.name)).toEqual(['alpha', 'zeta']);
    expect(model.roles.map((r) => r.name)).toEqual(['admin', 'writer']);
    expect(model.fieldSecurityProfiles).toEqual([
      {
        name: 'a_profile',
        columns: [
          { table: 'alpha', column: 'a', permissions: ['read', 'update'] },
          { table: 'zeta', column: 'b', permissions: ['read'] },
        ],
      },
      { name: 'z_profile', columns: [{ table: 'zeta', column: 'b', permissions: ['read'] }] },
    ]);
  });

  it('turns audit: true into all and { columns } into a sorted list', () => {
    const model = parseModel(
      { tables: { a: { audit: true }, b: { audit: { columns: ['revenue', 'credit_limit', 'revenue'] } }, c: { audit: false } } },
      FILE,
    );
    expect(model.tables.map((t) => t.audit)).toEqual(['all', ['credit_limit', 'revenue'], false]);
  });

  it('puts rights and secured columns in canonical order without duplicates', () => {
    const model = parseModel(
      { tables: { a: { securedColumns: ['z', 'b', 'z'], accessTeamTemplates: { team: ['share', 'read', 'read'] } } } },
      FILE,
    );
    expect(model.tables[0].securedColumns).toEqual(['b', 'z']);
    expect(model.tables[0].accessTeamTemplates).toEqual({ team: ['read', 'share'] });
  });

  it('sorts and de-duplicates miscPrivileges', () => {
    expect(parseModel({ miscPrivileges: ['b_thing', 'a_thing', 'b_thing'] }, FILE).miscPrivileges).toEqual(['a_thing', 'b_thing']);
  });
});

describe('extends', () => {
  const tables = { account: {}, contact: {}, product: { ownership: 'organization' } };

  it('takes the widest depth of own and inherited privileges', () => {
    const model = parseModel(
      {
        tables,
        roles: {
          base: { privileges: { account: { read: 'organization', write: 'user' }, contact: { read: 'business_unit' } } },
          seller: { extends: ['base'], privileges: { account: { read: 'user', write: 'parent_child' }, contact: { create: 'user' } } },
        },
      },
      FILE,
    );
    const seller = model.roles.find((r) => r.name === 'seller')!;
    expect(seller.effectivePrivileges).toEqual({
      account: { read: 'organization', write: 'parent_child' },
      contact: { create: 'user', read: 'business_unit' },
    });
    // own privileges stay as written
    expect(seller.privileges).toEqual({ account: { read: 'user', write: 'parent_child' }, contact: { create: 'user' } });
  });

  it('flattens several levels and several parents', () => {
    const model = parseModel(
      {
        tables,
        roles: {
          top: { extends: ['middle', 'side'] },
          middle: { extends: ['bottom'], privileges: { contact: { write: 'user' } } },
          bottom: { privileges: { account: { delete: 'business_unit' } } },
          side: { privileges: { product: { read: 'organization' }, account: { delete: 'user' } } },
        },
      },
      FILE,
    );
    const top = model.roles.find((r) => r.name === 'top')!;
    expect(top.effectivePrivileges).toEqual({
      account: { delete: 'business_unit' },
      contact: { write: 'user' },
      product: { read: 'organization' },
    });
    expect(top.extends).toEqual(['middle', 'side']);
    expect(top.privileges).toEqual({});
  });

  it('drops none from effective privileges, and tables left empty', () => {
    const model = parseModel(
      { tables, roles: { base: { privileges: { account: { read: 'none' }, contact: { read: 'user', write: 'none' } } } } },
      FILE,
    );
    expect(model.roles[0].privileges).toEqual({ account: { read: 'none' }, contact: { read: 'user', write: 'none' } });
    expect(model.roles[0].effectivePrivileges).toEqual({ contact: { read: 'user' } });
  });

  it('does not let a child lower an inherited depth with none', () => {
    const model = parseModel(
      { tables, roles: { base: { privileges: { account: { read: 'organization' } } }, child: { extends: ['base'], privileges: { account: { read: 'none' } } } } },
      FILE,
    );
    expect(model.roles.find((r) => r.name === 'child')!.effectivePrivileges).toEqual({ account: { read: 'organization' } });
  });

  it('unions misc privileges through extends, sorted', () => {
    const model = parseModel(
      {
        miscPrivileges: ['approve_discounts'],
        roles: {
          auditor: { misc: ['view_audit_history'] },
          exporter: { extends: ['auditor'], misc: ['export_to_excel', 'view_audit_history'] },
          boss: { extends: ['exporter', 'auditor'], misc: ['approve_discounts'] },
        },
      },
      FILE,
    );
    expect(model.roles.map((r) => [r.name, r.misc])).toEqual([
      ['auditor', ['view_audit_history']],
      ['boss', ['approve_discounts', 'export_to_excel', 'view_audit_history']],
      ['exporter', ['export_to_excel', 'view_audit_history']],
    ]);
  });
});
