// docs/security-model.md field security in the reference evaluator: profiles (user or team
// members), field shares per record, System Administrator, and nothing for a
// record the user cannot read.
import { describe, expect, it } from 'vitest';
import { Reference, type Organization } from '../../../src/reference/index.ts';
import { contoso, holds } from './contoso.ts';

function org(patch: Partial<Organization> = {}): Organization {
  const o = contoso([holds('alice', 'read_org'), holds('bob', 'read_org'), holds('carol', 'read_user')], {
    fieldProfiles: [
      { name: 'credit_view', columns: [{ table: 'account', column: 'credit_limit', permissions: ['read'] }] },
      { name: 'credit_edit', columns: [{ table: 'account', column: 'credit_limit', permissions: ['update'] }] },
    ],
    ...patch,
  });
  o.tables.account!.securedColumns = ['credit_limit'];
  return o;
}
const reads = (o: Organization, user: string, record: string, column = 'credit_limit') => new Reference(o).field(user, 'account', column, record, 'read').granted;

describe('field security', () => {
  it('a secured column is masked without a profile; other columns are not', () => {
    expect(reads(org(), 'alice', 'a_bob')).toBe(false);
    expect(reads(org(), 'alice', 'a_bob', 'revenue')).toBe(true);
  });
  it('a profile with read, held by the user or a team they belong to', () => {
    expect(reads(org({ profileMembers: [{ profile: 'credit_view', principalId: 'alice' }] }), 'alice', 'a_bob')).toBe(true);
    expect(reads(org({ profileMembers: [{ profile: 'credit_view', principalId: 'team_sales' }] }), 'alice', 'a_bob')).toBe(true);
    expect(reads(org({ profileMembers: [{ profile: 'credit_view', principalId: 'team_sales' }] }), 'bob', 'a_bob')).toBe(false);
    // update without read does not unmask
    expect(reads(org({ profileMembers: [{ profile: 'credit_edit', principalId: 'alice' }] }), 'alice', 'a_bob')).toBe(false);
  });
  it('a field share with read unmasks that record only', () => {
    const o = org({ fieldShares: [{ table: 'account', recordId: 'a_bob', column: 'credit_limit', principalId: 'alice', canRead: true, canUpdate: false }] });
    expect(reads(o, 'alice', 'a_bob')).toBe(true);
    expect(reads(o, 'alice', 'a_dave')).toBe(false);
    const updateOnly = org({ fieldShares: [{ table: 'account', recordId: 'a_bob', column: 'credit_limit', principalId: 'alice', canRead: false, canUpdate: true }] });
    expect(reads(updateOnly, 'alice', 'a_bob')).toBe(false);
  });
  it('System Administrator reads every secured column', () => {
    const o = org();
    o.assignments.push(holds('dave', 'system_administrator'));
    expect(reads(o, 'dave', 'a_bob')).toBe(true);
  });
  it('says nothing of a record the user cannot read', () => {
    const o = org({ profileMembers: [{ profile: 'credit_view', principalId: 'carol' }] });
    expect(reads(o, 'carol', 'a_bob')).toBe(false);
    expect(reads(o, 'carol', 'a_carol')).toBe(true);
  });
});
