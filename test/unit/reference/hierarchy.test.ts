// docs/security-model.md rule 4 in the reference evaluator: manager and position models,
// levels and their rights, the BU condition of the manager model, what passes
// up (owned, team-owned, shared) and what needs user depth.
import { describe, expect, it } from 'vitest';
import { Reference, type Organization, type User } from '../../../src/reference/index.ts';
import { contoso, holds } from './contoso.ts';

const ALL_RIGHTS = { read: 'user', write: 'user', delete: 'user', append: 'user', append_to: 'user', assign: 'user', share: 'user' } as const;

/** contoso with account under hierarchy security, every right at user depth for everyone, and the given links. */
function org(model: 'manager' | 'position', links: Record<string, Partial<User>>, patch: Partial<Organization> = {}): Organization {
  const o = contoso(['alice', 'bob', 'carol', 'dave'].map((u) => holds(u, 'all_user')), {
    hierarchy: { model, depth: 2, managersMustBeInSameOrParentBusinessUnit: true },
    ...patch,
  });
  o.tables.account!.hierarchySecurity = true;
  o.roles.push({ name: 'all_user', privileges: { account: { ...ALL_RIGHTS } } });
  for (const [id, link] of Object.entries(links)) Object.assign(o.users.find((u) => u.id === id)!, link);
  return o;
}
const rights = (o: Organization, user: string, record: string) => [...new Reference(o).rights(user, 'account', record)].sort();

describe('manager model', () => {
  // bob (emea) reports to alice (sales), who reports to dave (sales)
  const chain = { bob: { managerId: 'alice' }, alice: { managerId: 'dave' } };
  it('a direct report gives read, write, append, append_to; never delete, assign, share', () => {
    expect(rights(org('manager', chain), 'alice', 'a_bob')).toEqual(['append', 'append_to', 'read', 'write']);
  });
  it('level 2 gives read only', () => {
    expect(rights(org('manager', chain), 'dave', 'a_bob')).toEqual(['read']);
  });
  it('beyond the depth gives nothing', () => {
    const o = org('manager', chain);
    o.hierarchy!.depth = 1;
    expect(rights(o, 'dave', 'a_bob')).toEqual([]);
    expect(rights(o, 'dave', 'a_alice')).toEqual(['append', 'append_to', 'read', 'write']);
  });
  it('reaches nothing upwards', () => {
    expect(rights(org('manager', chain), 'bob', 'a_alice')).toEqual([]);
  });
  it('needs the manager in the report\'s BU or above it, for each pair', () => {
    // carol (service) manages bob (emea): not above
    expect(rights(org('manager', { bob: { managerId: 'carol' } }), 'carol', 'a_bob')).toEqual([]);
    const o = org('manager', { bob: { managerId: 'carol' } });
    o.hierarchy!.managersMustBeInSameOrParentBusinessUnit = false;
    expect(rights(o, 'carol', 'a_bob')).toEqual(['append', 'append_to', 'read', 'write']);
    // dave (sales) over carol (service) over bob (emea): dave reaches bob, not carol
    const skip = org('manager', { bob: { managerId: 'carol' }, carol: { managerId: 'dave' } });
    expect(rights(skip, 'dave', 'a_bob')).toEqual(['read']);
    expect(rights(skip, 'dave', 'a_carol')).toEqual([]);
  });
  it('passes up the records of the report\'s owner teams', () => {
    expect(rights(org('manager', { alice: { managerId: 'dave' } }), 'dave', 'a_team_sales')).toEqual(['append', 'append_to', 'read', 'write']);
  });
  it('passes up shares, never with more rights than the share gives', () => {
    const o = org('manager', chain, { shares: [{ table: 'account', recordId: 'a_carol', principalId: 'bob', rights: ['read', 'delete'] }] });
    expect(rights(o, 'alice', 'a_carol')).toEqual(['read']);
    // shared with an access team the report belongs to
    const team = org('manager', { carol: { managerId: 'dave' } }, { shares: [{ table: 'account', recordId: 'a_bob', principalId: 'deal_room', rights: ['read', 'write'] }] });
    team.businessUnits.find((b) => b.id === 'service')!.parentId = 'sales'; // dave above carol
    expect(rights(team, 'dave', 'a_bob')).toEqual(['read', 'write']);
  });
  it('needs the right at user depth', () => {
    const o = org('manager', chain);
    o.assignments = o.assignments.filter((a) => a.principalId !== 'alice');
    expect(rights(o, 'alice', 'a_bob')).toEqual([]);
    o.assignments.push(holds('alice', 'read_user'));
    expect(rights(o, 'alice', 'a_bob')).toEqual(['read']);
  });
  it('applies only to tables with hierarchySecurity', () => {
    const o = org('manager', chain);
    o.tables.account!.hierarchySecurity = false;
    expect(rights(o, 'alice', 'a_bob')).toEqual([]);
  });
});

describe('position model', () => {
  const positions = [{ id: 'ceo', parentId: null }, { id: 'vp', parentId: 'ceo' }, { id: 'rep', parentId: 'vp' }];
  const placed = { carol: { positionId: 'ceo' }, alice: { positionId: 'vp' }, bob: { positionId: 'rep' }, dave: { positionId: 'rep' } };
  it('crosses BUs: carol (service) is above alice (sales) and bob (emea)', () => {
    const o = org('position', placed, { positions });
    expect(rights(o, 'carol', 'a_alice')).toEqual(['append', 'append_to', 'read', 'write']);
    expect(rights(o, 'carol', 'a_bob')).toEqual(['read']);
  });
  it('the same position gives nothing; managers are ignored', () => {
    const o = org('position', { ...placed, bob: { positionId: 'rep', managerId: 'dave' } }, { positions });
    expect(rights(o, 'dave', 'a_bob')).toEqual([]);
    expect(rights(o, 'bob', 'a_dave')).toEqual([]);
  });
  it('a user without a position reaches no one', () => {
    const o = org('position', { ...placed, carol: { positionId: null } }, { positions });
    expect(rights(o, 'carol', 'a_alice')).toEqual([]);
  });
});
