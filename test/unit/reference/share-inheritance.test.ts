// Share inheritance on reparent in the reference (src/reference/share-inheritance.ts):
// the shares inherited from the old parent go, the new parent's come as the
// relationship's reparent cascade says, a sharer's own share passes on only what
// the sharer holds on the child, and cascades reach grandchildren.
import { describe, expect, it } from 'vitest';
import type { ShareCascade } from '../../../src/model/types.ts';
import { describeOrganization, reparentRecord, Reference, type Organization, type RoleAssignment } from '../../../src/reference/index.ts';
import { contoso, holds } from './contoso.ts';

/** contoso with contact under account (reparent as given; share and unshare none) and note under contact. */
function withContacts(assignments: RoleAssignment[], reparent: ShareCascade = 'all'): Organization {
  const org = contoso(assignments);
  org.tables.contact = { ownership: 'user', relationships: [{ column: 'account_id', references: 'account', reparent, share: 'none', unshare: 'none' }] };
  org.tables.note = { ownership: 'user', relationships: [{ column: 'contact_id', references: 'contact', reparent: 'all', share: 'all', unshare: 'all' }] };
  org.roles.push({ name: 'contact_reader', privileges: { contact: { read: 'user', write: 'user' }, note: { read: 'user' } } });
  org.records.contact = [{ id: 'c1', ownerId: 'carol', owningBusinessUnitId: 'service', parents: { account_id: 'a_alice' } }];
  org.records.note = [{ id: 'n1', ownerId: 'carol', owningBusinessUnitId: 'service', parents: { contact_id: 'c1' } }];
  return org;
}

const sharesOf = (org: Organization, table: string, recordId: string) =>
  org.shares.filter((s) => s.table === table && s.recordId === recordId).map((s) => `${s.principalId}:${s.rights.join('+')}${s.inheritedFrom ? `<${s.inheritedFrom.recordId}` : ''}`).sort();

describe('reparentRecord', () => {
  it('the child takes the new parent\'s shares (and passes them to its own children); the old parent\'s go', () => {
    const org = withContacts([holds('bob', 'contact_reader'), holds('dave', 'contact_reader')]);
    org.shares.push(
      { table: 'account', recordId: 'a_dave', principalId: 'bob', rights: ['read', 'write'] },
      { table: 'account', recordId: 'a_dave', principalId: 'team_emea', rights: ['read'] },
      { table: 'account', recordId: 'a_bob', principalId: 'dave', rights: ['read'] },
    );
    expect(new Reference(org).visible('bob', 'contact')).toEqual([]);
    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_dave');
    expect(org.records.contact![0]!.parents).toEqual({ account_id: 'a_dave' });
    expect(sharesOf(org, 'contact', 'c1')).toEqual(['bob:read+write<a_dave', 'team_emea:read<a_dave']);
    expect(sharesOf(org, 'note', 'n1')).toEqual(['bob:read+write<c1', 'team_emea:read<c1']);
    const ref = new Reference(org);
    expect(ref.visible('bob', 'contact')).toEqual(['c1']);
    expect(ref.decide('bob', 'contact', 'write', 'c1').reasons).toEqual(['shared with the user (read, write)']);
    expect(ref.visible('dave', 'contact')).toEqual(['c1']); // through team_emea
    expect(ref.visible('bob', 'note')).toEqual(['n1']);
    // a shrunk counterexample shows where a share came from
    expect(describeOrganization(org)).toContain('contact c1 with bob: read, write (inherited from account a_dave)');

    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_bob');
    expect(sharesOf(org, 'contact', 'c1')).toEqual(['dave:read<a_bob']);
    expect(sharesOf(org, 'note', 'n1')).toEqual(['dave:read<c1']);
    // bob's share came from a_dave and is gone; he now reads c1 only as the owner of its parent
    expect(new Reference(org).decide('bob', 'contact', 'read', 'c1').reasons).toEqual(['owner of parent account a_bob']);
    expect(new Reference(org).decide('bob', 'contact', 'write', 'c1').granted).toBe(false);

    reparentRecord(org, 'contact', 'c1', 'account_id', null);
    expect(sharesOf(org, 'contact', 'c1')).toEqual([]);
    expect(sharesOf(org, 'note', 'n1')).toEqual([]);
  });

  it('keeps direct shares and shares inherited from elsewhere', () => {
    const org = withContacts([]);
    org.shares.push(
      { table: 'contact', recordId: 'c1', principalId: 'bob', rights: ['read'] },
      { table: 'contact', recordId: 'c1', principalId: 'dave', rights: ['read'], inheritedFrom: { table: 'account', recordId: 'a_carol' } },
      { table: 'account', recordId: 'a_dave', principalId: 'bob', rights: ['write'] },
    );
    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_dave');
    expect(sharesOf(org, 'contact', 'c1')).toEqual(['bob:read', 'bob:write<a_dave', 'dave:read<a_carol']);
  });

  it('reparent none: the old parent\'s shares go, the new parent\'s do not come', () => {
    const org = withContacts([], 'none');
    org.shares.push(
      { table: 'contact', recordId: 'c1', principalId: 'bob', rights: ['read'], inheritedFrom: { table: 'account', recordId: 'a_alice' } },
      { table: 'account', recordId: 'a_dave', principalId: 'dave', rights: ['read'] },
    );
    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_dave');
    expect(sharesOf(org, 'contact', 'c1')).toEqual([]);
  });

  it('reparent user_owned: only under a parent the child\'s owner owns', () => {
    const org = withContacts([], 'user_owned');
    org.shares.push({ table: 'account', recordId: 'a_dave', principalId: 'bob', rights: ['read'] }, { table: 'account', recordId: 'a_carol', principalId: 'bob', rights: ['read'] });
    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_dave');
    expect(sharesOf(org, 'contact', 'c1')).toEqual([]);
    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_carol'); // carol owns both
    expect(sharesOf(org, 'contact', 'c1')).toEqual(['bob:read<a_carol']);
  });

  it('a sharer\'s share with themselves passes on only the rights they hold on the child (issue 14 F14)', () => {
    const org = withContacts([holds('bob', 'contact_reader')]);
    org.shares.push(
      { table: 'account', recordId: 'a_dave', principalId: 'bob', rights: ['read', 'write', 'delete'], sharedBy: 'bob' },
      { table: 'contact', recordId: 'c1', principalId: 'bob', rights: ['read'] },
    );
    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_dave');
    // bob held read on c1 (its direct share), nothing else
    expect(sharesOf(org, 'contact', 'c1')).toEqual(['bob:read', 'bob:read<a_dave']);
    expect(org.shares.find((s) => s.inheritedFrom?.recordId === 'a_dave')!.sharedBy).toBe('bob');
  });

  it('moving to the same parent changes nothing', () => {
    const org = withContacts([]);
    org.shares.push({ table: 'contact', recordId: 'c1', principalId: 'bob', rights: ['read'], inheritedFrom: { table: 'account', recordId: 'a_alice' } });
    reparentRecord(org, 'contact', 'c1', 'account_id', 'a_alice');
    expect(sharesOf(org, 'contact', 'c1')).toEqual(['bob:read<a_alice']);
  });
});
