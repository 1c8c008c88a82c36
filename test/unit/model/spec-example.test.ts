// The example model of SPEC §3, read from YAML, normalises to exactly this.
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadModel, type Model } from '../../../src/model/index.ts';

const EXAMPLE = fileURLToPath(new URL('./fixtures/spec-example.yaml', import.meta.url));

const noCascade = { assign: 'all', share: 'all', unshare: 'all', reparent: 'all', delete: 'remove_link' } as const;

const expected: Model = {
  dataSchema: 'app',
  apiSchema: 'api',
  ownershipAcrossBusinessUnits: false,
  alwaysMoveRecordToOwnerBusinessUnit: true,
  shareToPreviousOwnerOnAssign: false,
  keepRolesOnBusinessUnitChange: false,
  hierarchy: { model: 'manager', depth: 3, managersMustBeInSameOrParentBusinessUnit: true },
  auditLogins: true,
  sessionDefaults: { lockTimeout: '5s', idleInTransactionSessionTimeout: '60s', statementTimeout: '5min' },
  miscPrivileges: [],
  tables: [
    {
      name: 'account',
      ownership: 'user',
      hierarchySecurity: true,
      securedColumns: ['credit_limit'],
      audit: 'all',
      accessTeamTemplates: { account_team: ['read', 'write', 'append'] },
      relationships: [],
    },
    {
      name: 'contact',
      ownership: 'user',
      hierarchySecurity: false,
      securedColumns: [],
      audit: false,
      accessTeamTemplates: {},
      relationships: [{ column: 'account_id', references: 'account', cascade: noCascade }],
    },
    {
      name: 'product',
      ownership: 'organization',
      hierarchySecurity: false,
      securedColumns: [],
      audit: false,
      accessTeamTemplates: {},
      relationships: [],
    },
  ],
  roles: [
    {
      name: 'employee_base',
      extends: [],
      privileges: { account: { read: 'organization' }, product: { read: 'organization' } },
      effectivePrivileges: { account: { read: 'organization' }, product: { read: 'organization' } },
      misc: [],
    },
    {
      name: 'salesperson',
      extends: ['employee_base'],
      privileges: {
        account: { create: 'user', read: 'organization', write: 'user', append: 'user', append_to: 'organization', share: 'user' },
        contact: { create: 'user', read: 'business_unit', write: 'user', delete: 'user', append: 'user', append_to: 'user' },
      },
      effectivePrivileges: {
        account: { create: 'user', read: 'organization', write: 'user', append: 'user', append_to: 'organization', share: 'user' },
        contact: { create: 'user', read: 'business_unit', write: 'user', delete: 'user', append: 'user', append_to: 'user' },
        product: { read: 'organization' },
      },
      misc: ['export_to_excel'],
    },
  ],
  fieldSecurityProfiles: [
    { name: 'credit_control', columns: [{ table: 'account', column: 'credit_limit', permissions: ['read', 'create', 'update'] }] },
  ],
};

it('normalises the SPEC §3 example', async () => {
  expect(await loadModel(EXAMPLE)).toStrictEqual(expected);
});
