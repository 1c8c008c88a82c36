// Issue 17 items 1-4 in the reference evaluator: assign needs the new owner's
// read (assign.ts), the parent owner's read on a child (reparent.ts), default
// teams and move_user (default-teams.ts).
import { describe, expect, it } from 'vitest';
import { moveUser, Reference, syncDefaultTeams, type Organization, type RoleAssignment } from '../../../src/reference/index.ts';
import { contoso } from './contoso.ts';

const role = (principalId: string, name: string): RoleAssignment => ({ principalId, role: name, businessUnitId: null, inheritance: 'team_only' });

/** contoso with contact under account (reparent as given) and a contact_reader role. */
function withContacts(assignments: RoleAssignment[], reparent: 'all' | 'none' = 'all'): Organization {
  const org = contoso(assignments);
  org.tables.contact = { ownership: 'user', relationships: [{ column: 'account_id', references: 'account', reparent }] };
  org.roles.push({ name: 'contact_reader', privileges: { contact: { read: 'user' } } }, { name: 'assigner', privileges: { account: { read: 'user', assign: 'user' } } });
  org.records.contact = [{ id: 'c_carol', ownerId: 'carol', owningBusinessUnitId: 'service', parents: { account_id: 'a_alice' } }];
  return org;
}

describe('reparent: the owner of the parent reads the child', () => {
  it('with read on the child\'s table at user depth, read only', () => {
    const ref = new Reference(withContacts([role('alice', 'contact_reader')]));
    expect(ref.visible('alice', 'contact')).toEqual(['c_carol']);
    expect(ref.decide('alice', 'contact', 'read', 'c_carol').reasons).toEqual(['owner of parent account a_alice']);
    expect([...ref.rights('alice', 'contact', 'c_carol')]).toEqual(['read']);
  });
  it('not without that privilege, nor with reparent none', () => {
    expect(new Reference(withContacts([])).visible('alice', 'contact')).toEqual([]);
    expect(new Reference(withContacts([role('alice', 'contact_reader')], 'none')).visible('alice', 'contact')).toEqual([]);
  });
  it('a member of the owning owner team, with their own read', () => {
    const org = withContacts([role('alice', 'contact_reader')]);
    org.records.account!.find((r) => r.id === 'a_alice')!.ownerId = 'team_sales';
    expect(new Reference(org).decide('alice', 'contact', 'read', 'c_carol').reasons).toEqual(['owner of parent account a_alice through team team_sales']);
  });
});

describe('assign: the new owner must hold read on the table', () => {
  it('refused for an owner with no role, allowed for one holding read directly or through an owner team', () => {
    const org = withContacts([role('alice', 'assigner'), role('team_emea', 'read_user')]);
    const ref = new Reference(org);
    expect(ref.canAssign('alice', 'account', 'a_alice', 'carol').reasons[0]).toContain('missing prvRead on account');
    expect(ref.canAssign('alice', 'account', 'a_alice', 'dave').granted).toBe(true); // member of team_emea
    expect(ref.canAssign('alice', 'account', 'a_alice', 'team_emea').granted).toBe(true);
    expect(ref.canAssign('bob', 'account', 'a_alice', 'team_emea').granted).toBe(false); // no assign
  });
});

describe('default teams and move_user', () => {
  it('moving a user moves their default team membership and removes their own roles', () => {
    const org = contoso([role('dave', 'read_bu'), role('team_emea', 'read_user')]);
    org.teams.push({ id: 'sales_team', businessUnitId: 'sales', type: 'owner', isDefault: true, members: [] }, { id: 'service_team', businessUnitId: 'service', type: 'owner', isDefault: true, members: [] });
    syncDefaultTeams(org);
    expect(org.teams.find((t) => t.id === 'sales_team')!.members).toEqual(['alice', 'dave']);
    moveUser(org, 'dave', 'service');
    expect(org.teams.find((t) => t.id === 'sales_team')!.members).toEqual(['alice']);
    expect(org.teams.find((t) => t.id === 'service_team')!.members).toEqual(['carol', 'dave']);
    expect(org.assignments).toEqual([role('team_emea', 'read_user')]);
  });
  it('keepRolesOnBusinessUnitChange keeps them', () => {
    const org = contoso([role('dave', 'read_bu')], { keepRolesOnBusinessUnitChange: true });
    moveUser(org, 'dave', 'service');
    expect(org.assignments).toEqual([role('dave', 'read_bu')]);
    // read_bu now applies in service; its user part covers dave and his owner team
    expect(new Reference(org).visible('dave', 'account')).toEqual(['a_dave', 'a_carol', 'a_team_emea']);
  });
});
