// One test per validation rule: each breaks a valid model in one place and
// checks the path and the fix in the message.
import { describe, expect, it } from 'vitest';
import { parseModel } from '../../../src/model/index.ts';
import { baseModel, expectProblem, FILE, problemsOf } from './helpers.ts';

describe('model validation', () => {
  it('accepts the base model', () => {
    expect(() => parseModel(baseModel(), FILE)).not.toThrow();
  });

  describe('names', () => {
    it('rejects a table name that is not snake_case and suggests one', () => {
      const m = baseModel();
      m.tables.SalesOrder = {};
      expectProblem(m, 'tables.SalesOrder', 'not a valid table name', "use 'sales_order'");
    });

    it('rejects a table name over 40 bytes', () => {
      const m = baseModel();
      m.tables['t'.repeat(41)] = {};
      expectProblem(m, `tables.${'t'.repeat(41)}`, 'too long', 'at most 40');
    });

    it('accepts a 40-byte table name and a 63-byte role name', () => {
      const m = baseModel();
      m.tables['t'.repeat(40)] = {};
      m.roles['r'.repeat(63)] = {};
      expect(() => parseModel(m, FILE)).not.toThrow();
    });

    it('rejects a role name over 63 bytes', () => {
      const m = baseModel();
      m.roles['r'.repeat(64)] = {};
      expectProblem(m, `roles.${'r'.repeat(64)}`, 'too long', 'at most 63');
    });

    it('rejects a column name starting with a digit', () => {
      const m = baseModel();
      m.tables.account.securedColumns = ['1st_column'];
      expectProblem(m, 'tables.account.securedColumns[0]', 'not a valid column name');
    });

    it('rejects a bad schema name and a reserved one', () => {
      expectProblem({ ...baseModel(), dataSchema: 'my-app' }, 'dataSchema', 'not a valid schema name');
      expectProblem({ ...baseModel(), apiSchema: 'rowscope' }, 'apiSchema', 'reserved', 'choose another schema');
    });

    it('rejects an api schema equal to the data schema', () => {
      expectProblem({ ...baseModel(), dataSchema: 'app', apiSchema: 'app' }, 'apiSchema', 'own schema');
    });

    it('rejects a model table named like a built-in table', () => {
      const m = baseModel();
      m.tables.team = {};
      expectProblem(m, 'tables.team', 'built-in', 'rename');
    });

    it.each(['team_member', 'role_assignment', 'record_share', 'field_share', 'position', 'audit_log'])(
      'rejects a model table named like the api view %s', (name) => {
        const m = baseModel();
        m.tables[name] = {};
        expectProblem(m, `tables.${name}`, 'rowscope view in the api schema', 'rename');
      });
  });

  describe('unknown keys and values', () => {
    it('rejects an unknown key and suggests the near one', () => {
      const m = baseModel();
      m.tables.account.ownrship = 'user';
      expectProblem(m, 'tables.account.ownrship', "unknown key 'ownrship'", "did you mean 'ownership'?");
    });

    it('rejects an unknown top-level key', () => {
      expectProblem({ ...baseModel(), table: {} }, 'table', "unknown key 'table'", "did you mean 'tables'?");
    });

    it('rejects an unknown privilege name', () => {
      const m = baseModel();
      m.roles.reader.privileges.account = { raed: 'user' };
      expectProblem(m, 'roles.reader.privileges.account.raed', "unknown key 'raed'", "'read'");
    });

    it('rejects an unknown depth and lists the valid ones', () => {
      const m = baseModel();
      m.roles.reader.privileges.account = { read: 'global' };
      expectProblem(m, 'roles.reader.privileges.account.read', "'global' is not a valid depth", "'organization'");
    });

    it('rejects an unknown ownership', () => {
      const m = baseModel();
      m.tables.account.ownership = 'team';
      expectProblem(m, 'tables.account.ownership', "'team' is not a valid ownership", "'user', 'organization'");
    });

    it('rejects an unknown cascade value', () => {
      const m = baseModel();
      m.tables.contact.relationships[0].cascade = { share: 'everything', delete: 'nullify' };
      const problems = problemsOf(m);
      expect(problems.map((p) => p.path)).toEqual([
        'tables.contact.relationships[0].cascade.share',
        'tables.contact.relationships[0].cascade.delete',
      ]);
      expect(problems[1].message).toContain("'remove_link'");
    });

    it('rejects a wrong type with what was expected', () => {
      const m = baseModel();
      m.tables.account.hierarchySecurity = 'yes';
      expectProblem(m, 'tables.account.hierarchySecurity', 'expected true or false', "got string 'yes'");
    });

    it('rejects a missing required field', () => {
      const m = baseModel();
      delete m.tables.contact.relationships[0].references;
      expectProblem(m, 'tables.contact.relationships[0].references', 'missing');
    });

    it('rejects a hierarchy depth outside 1..100', () => {
      expectProblem({ ...baseModel(), hierarchy: { depth: 0 } }, 'hierarchy.depth', 'at least 1');
      expectProblem({ ...baseModel(), hierarchy: { depth: 101 } }, 'hierarchy.depth', 'at most 100');
      expectProblem({ ...baseModel(), hierarchy: { depth: 2.5 } }, 'hierarchy.depth', 'whole number');
    });

    it('rejects a model that is not a mapping', () => {
      expect(problemsOf(null)).toEqual([{ file: FILE, path: '', message: expect.stringContaining('expected a mapping') }]);
    });
  });

  describe('ownership', () => {
    it('rejects a depth other than none/organization on an organization-owned table', () => {
      const m = baseModel();
      m.roles.salesperson = { privileges: { product: { read: 'business_unit' } } };
      expectProblem(
        m,
        'roles.salesperson.privileges.product.read',
        "'business_unit' is not valid for an organization-owned table; use 'none' or 'organization'",
      );
    });

    it('accepts none and organization on an organization-owned table', () => {
      const m = baseModel();
      m.roles.reader.privileges.product = { read: 'organization', write: 'none' };
      expect(() => parseModel(m, FILE)).not.toThrow();
    });

    it('rejects assign or share on an organization-owned table', () => {
      const m = baseModel();
      m.roles.reader.privileges.product = { share: 'organization' };
      expectProblem(m, 'roles.reader.privileges.product.share', 'cannot be assigned or shared');
    });

    it('rejects hierarchySecurity on an organization-owned table', () => {
      const m = baseModel();
      m.tables.product.hierarchySecurity = true;
      expectProblem(m, 'tables.product.hierarchySecurity', 'needs a user-owned table');
    });

    it('rejects an access team template on an organization-owned table', () => {
      const m = baseModel();
      m.tables.product.accessTeamTemplates = { product_team: ['read'] };
      expectProblem(m, 'tables.product.accessTeamTemplates.product_team', 'cannot be shared', 'ownership: user');
    });
  });

  describe('roles', () => {
    it('rejects an unknown table in privileges and suggests the near one', () => {
      const m = baseModel();
      m.roles.reader.privileges.acount = { read: 'user' };
      expectProblem(m, 'roles.reader.privileges.acount', "'acount' is not a table of the model", "did you mean 'account'?");
    });

    it('accepts privileges on built-in tables', () => {
      const m = baseModel();
      m.roles.admin = { privileges: { system_user: { create: 'business_unit' }, field_security_profile: { write: 'organization' } } };
      expect(() => parseModel(m, FILE)).not.toThrow();
    });

    it('rejects a role named system_administrator', () => {
      const m = baseModel();
      m.roles.system_administrator = {};
      expectProblem(m, 'roles.system_administrator', 'built in', 'cannot be defined');
    });

    it('rejects extends naming an unknown role', () => {
      const m = baseModel();
      m.roles.seller = { extends: ['reader', 'readr'] };
      expectProblem(m, 'roles.seller.extends[1]', "'readr' is not a role of the model", "did you mean 'reader'?");
    });

    it('rejects extends naming system_administrator', () => {
      const m = baseModel();
      m.roles.seller = { extends: ['system_administrator'] };
      expectProblem(m, 'roles.seller.extends[0]', 'cannot be extended');
    });

    it('names an extends cycle once', () => {
      const m = baseModel();
      m.roles.a = { extends: ['b'] };
      m.roles.b = { extends: ['c'] };
      m.roles.c = { extends: ['a', 'reader'] };
      expectProblem(m, 'roles.a.extends', 'extends cycle a → b → c → a');
      expect(problemsOf(m)).toHaveLength(1);
    });

    it('names a role that extends itself', () => {
      const m = baseModel();
      m.roles.loop = { extends: ['loop'] };
      expectProblem(m, 'roles.loop.extends', 'extends cycle loop → loop');
    });

    it('rejects a misc privilege that is neither built in nor declared', () => {
      const m = baseModel();
      m.roles.reader.misc = ['export_to_exel'];
      expectProblem(m, 'roles.reader.misc[0]', "'export_to_exel' is not a misc privilege", "did you mean 'export_to_excel'?");
      m.roles.reader.misc = ['approve_discounts'];
      expectProblem(m, 'roles.reader.misc[0]', 'declare it in miscPrivileges');
    });

    it('accepts built-in and declared misc privileges', () => {
      const m = baseModel();
      m.miscPrivileges = ['approve_discounts'];
      m.roles.reader.misc = ['approve_discounts', 'view_audit_history', 'delete_audit_history', 'export_to_excel'];
      expect(() => parseModel(m, FILE)).not.toThrow();
    });
  });

  describe('tables', () => {
    it('rejects a relationship to an unknown table', () => {
      const m = baseModel();
      m.tables.contact.relationships[0].references = 'opportunity';
      expectProblem(m, 'tables.contact.relationships[0].references', "'opportunity' is not a table of the model", 'declare it under tables');
    });

    it('rejects a relationship on a system column', () => {
      const m = baseModel();
      m.tables.contact.relationships[0].column = 'owning_business_unit';
      expectProblem(m, 'tables.contact.relationships[0].column', 'system column');
    });

    it('rejects a duplicate relationship column', () => {
      const m = baseModel();
      m.tables.contact.relationships.push({ column: 'account_id', references: 'product' });
      expectProblem(m, 'tables.contact.relationships[1].column', 'already declared by relationships[0]');
    });

    it('accepts a relationship on an organization-owned table', () => {
      const m = baseModel();
      m.tables.product.relationships = [{ column: 'parent_id', references: 'product' }];
      expect(() => parseModel(m, FILE)).not.toThrow();
    });

    it('rejects a secured system column', () => {
      for (const column of ['id', 'owner_id', 'owning_business_unit', 'created_by', 'created_on', 'modified_by', 'modified_on']) {
        const m = baseModel();
        m.tables.account.securedColumns = ['credit_limit', column];
        expectProblem(m, 'tables.account.securedColumns[1]', 'system columns cannot be secured');
      }
    });

    it('rejects an invalid access team right', () => {
      const m = baseModel();
      m.tables.account.accessTeamTemplates = { account_team: ['read', 'create'] };
      expectProblem(m, 'tables.account.accessTeamTemplates.account_team[1]', "'create' is not a valid right");
    });

    it('rejects an access team template without rights', () => {
      const m = baseModel();
      m.tables.account.accessTeamTemplates = { account_team: [] };
      expectProblem(m, 'tables.account.accessTeamTemplates.account_team', 'at least one right');
    });

    it('rejects an empty audit column list', () => {
      const m = baseModel();
      m.tables.account.audit = { columns: [] };
      expectProblem(m, 'tables.account.audit.columns', 'at least one column', 'audit: true');
    });

    it('rejects an audit value of the wrong shape', () => {
      const m = baseModel();
      m.tables.account.audit = 'all';
      expectProblem(m, 'tables.account.audit', 'expected true, false or { columns: [...] }');
    });
  });

  describe('field security profiles', () => {
    it('rejects an unknown table', () => {
      const m = baseModel();
      m.fieldSecurityProfiles.credit = { 'acount.credit_limit': ['read'] };
      expectProblem(m, 'fieldSecurityProfiles.credit.acount.credit_limit', "'acount' is not a table", "did you mean 'account'?");
    });

    it('rejects a column that is not secured', () => {
      const m = baseModel();
      m.fieldSecurityProfiles.credit = { 'account.revenue': ['read'] };
      expectProblem(m, 'fieldSecurityProfiles.credit.account.revenue', 'not a secured column', 'tables.account.securedColumns');
    });

    it('rejects a bad permission', () => {
      const m = baseModel();
      m.fieldSecurityProfiles.credit = { 'account.credit_limit': ['read', 'write'] };
      expectProblem(m, 'fieldSecurityProfiles.credit.account.credit_limit[1]', "'write' is not a valid field permission", "'update'");
    });

    it('rejects a key that is not table.column', () => {
      const m = baseModel();
      m.fieldSecurityProfiles.credit = { credit_limit: ['read'] };
      expectProblem(m, 'fieldSecurityProfiles.credit.credit_limit', 'write it as table.column');
    });
  });

  it('reports every problem at once, schema and cross-field alike', () => {
    const m = baseModel();
    m.tables.account.securedColumns = ['owner_id', 'credit_limit']; // cross-field
    m.tables.account.ownership = 'nobody'; // schema
    m.roles.reader.privileges.acount = { read: 'user' }; // cross-field
    m.roles.reader.extends = ['ghost']; // cross-field
    m.hierarchy = { model: 'org_chart' }; // schema
    const paths = problemsOf(m).map((p) => p.path).sort();
    expect(paths).toEqual([
      'hierarchy.model',
      'roles.reader.extends[0]',
      'roles.reader.privileges.acount',
      'tables.account.ownership',
      'tables.account.securedColumns[0]',
    ]);
  });
});
