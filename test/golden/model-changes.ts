// Single model changes on test/fixtures/models/basic.yaml, each as the model
// before and after: shared by the golden snapshots of their migrations
// (test/golden/model-changes.test.ts) and the test that applies them
// (test/integration/upgrade/model-changes.test.ts).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseModel, type Model } from '../../src/model/index.ts';

const BASIC = fileURLToPath(new URL('../fixtures/models/basic.yaml', import.meta.url));

type Raw = Record<string, any>;
const basic = (): Raw => parse(readFileSync(BASIC, 'utf8')) as Raw;

export interface ModelChange {
  name: string;
  /** whether a table's policies, triggers or api view are rebuilt */
  touchesTables: boolean;
  before: Raw;
  after: Raw;
  /** app tables the change needs (created before it is applied) */
  appSql?: string;
}

function change(name: string, touchesTables: boolean, edit: (m: Raw) => void, base: (m: Raw) => void = () => {}, appSql?: string): ModelChange {
  const before = basic();
  base(before);
  const after = structuredClone(before);
  edit(after);
  return { name, touchesTables, before, after, appSql };
}

export const CHANGES: ModelChange[] = [
  change('add-privilege', false, (m) => { m.roles.reader_bu.privileges.contact = { read: 'business_unit' }; }),
  change('add-role', false, (m) => { m.roles.auditor = { privileges: { account: { read: 'organization' } }, misc: ['view_audit_history'] }; }),
  change('add-table', true, (m) => { m.tables.note = { ownership: 'user' }; }, () => {},
    'create table if not exists app.note (id uuid primary key default gen_random_uuid(), name text not null);'),
  change('add-secured-column', true, (m) => { m.tables.account.securedColumns.push('revenue'); }),
  change('add-relationship', false, (m) => { m.tables.contact.relationships = [{ column: 'account_id', references: 'account' }]; },
    (m) => { delete m.tables.contact.relationships; }),
  change('change-audit', false, (m) => { m.tables.product.audit = true; }),
  // comments on the kept api view only (src/compile/descriptions.ts): one set, one changed, one cleared
  change('change-descriptions', false, (m) => {
    m.tables.account.description = 'Companies we sell to.';
    m.tables.account.columns = { name: { description: "The company's legal name." } };
    delete m.tables.contact.description;
  }, (m) => { m.tables.contact.description = 'People at an account.'; m.tables.account.columns = { revenue: { description: 'Yearly, in USD.' } }; }),
];

export function models(c: ModelChange): { before: Model; after: Model } {
  return { before: parseModel(c.before, 'basic.yaml'), after: parseModel(c.after, 'basic.yaml') };
}
