// Issue 17 in the reference evaluator: a table's own hierarchy depth (item 6)
// and rights that cannot be used without read on the record (item 9).
import { describe, expect, it } from 'vitest';
import { Reference, type Organization } from '../../../src/reference/index.ts';
import { contoso, holds } from './contoso.ts';

const rights = (o: Organization, user: string, record: string) => [...new Reference(o).rights(user, 'account', record)].sort();

describe('a table\'s own hierarchy depth', () => {
  // bob reports to alice, alice to dave (all in sales or below)
  const chain = () => {
    const o = contoso(['alice', 'bob', 'dave'].map((u) => holds(u, 'reader')), {
      hierarchy: { model: 'manager', depth: 1, managersMustBeInSameOrParentBusinessUnit: true },
    });
    o.roles.push({ name: 'reader', privileges: { account: { read: 'user' } } });
    o.tables.account!.hierarchySecurity = true;
    Object.assign(o.users.find((u) => u.id === 'bob')!, { managerId: 'alice' });
    Object.assign(o.users.find((u) => u.id === 'alice')!, { managerId: 'dave' });
    return o;
  };
  it('overrides the model\'s depth for that table, wider or narrower', () => {
    const o = chain();
    expect(rights(o, 'dave', 'a_bob')).toEqual([]);
    o.tables.account!.hierarchyDepth = 2;
    expect(rights(o, 'dave', 'a_bob')).toEqual(['read']);
    const narrow = chain();
    narrow.hierarchy!.depth = 3;
    narrow.tables.account!.hierarchyDepth = 1;
    expect(rights(narrow, 'dave', 'a_bob')).toEqual([]);
    expect(rights(narrow, 'dave', 'a_alice')).toEqual(['read']);
  });
});

describe('rights that need read on the record', () => {
  const writerOnly = (shareRights: ('write' | 'delete' | 'append' | 'append_to' | 'assign' | 'share' | 'read')[]) => {
    const o = contoso([holds('alice', 'writes_only')]);
    o.roles.push({ name: 'writes_only', privileges: { account: { write: 'user', delete: 'user', append: 'user', append_to: 'user', assign: 'user', share: 'user' } } });
    o.shares.push({ table: 'account', recordId: 'a_carol', principalId: 'alice', rights: shareRights });
    return o;
  };
  it('write, delete, append, assign and share do not count without read; append_to does', () => {
    const o = writerOnly(['write', 'delete', 'append', 'append_to', 'assign', 'share']);
    expect(rights(o, 'alice', 'a_carol')).toEqual(['append_to']);
    const why = new Reference(o).decide('alice', 'account', 'write', 'a_carol');
    expect(why.granted).toBe(false);
    expect(why.reasons[0]).toMatch(/^write needs read on the record \(held through: shared with the user/);
    expect(new Reference(o).held('alice', 'account', 'write', 'a_carol').granted).toBe(true);
  });
  it('with read they all count', () => {
    const o = writerOnly(['read', 'write', 'delete']);
    o.roles.find((r) => r.name === 'writes_only')!.privileges.account!.read = 'user';
    expect(rights(o, 'alice', 'a_carol')).toEqual(['delete', 'read', 'write']);
  });
});
