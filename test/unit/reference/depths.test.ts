// docs/security-model.md rule 2 in the reference evaluator: each depth's scope, roles adding
// up, organization-owned tables and the create scope.
import { describe, expect, it } from 'vitest';
import { Reference } from '../../../src/reference/index.ts';
import { contoso, holds } from './contoso.ts';

const visible = (role: string, who = 'alice') => new Reference(contoso([holds(who, role)])).visible(who, 'account').sort();

describe('read depth (alice in sales, member of team_sales)', () => {
  it('user: her own records and her owner teams\' records', () => {
    expect(visible('read_user')).toEqual(['a_alice', 'a_team_sales']);
  });
  it('business_unit: records owning BU sales, plus user scope', () => {
    expect(visible('read_bu')).toEqual(['a_alice', 'a_dave', 'a_team_sales']);
  });
  it('parent_child: sales and emea below it', () => {
    expect(visible('read_deep')).toEqual(['a_alice', 'a_bob', 'a_dave', 'a_team_emea', 'a_team_sales']);
  });
  it('organization: everything', () => {
    expect(visible('read_org')).toHaveLength(6);
  });
  it('user depth covers an owner team\'s records in another BU', () => {
    // dave is in sales, team_emea is in emea
    expect(visible('read_user', 'dave')).toEqual(['a_dave', 'a_team_emea']);
  });
  it('no role: nothing, and the reason says so', () => {
    const ref = new Reference(contoso());
    expect(ref.visible('alice', 'account')).toEqual([]);
    expect(ref.decide('alice', 'account', 'read', 'a_alice').reasons).toEqual(['no role grants read on account']);
  });
});

describe('roles add up', () => {
  it('the widest scope wins, and each right stands alone', () => {
    const ref = new Reference(contoso([holds('alice', 'writer_user'), holds('alice', 'read_org')]));
    expect(ref.visible('alice', 'account')).toHaveLength(6);
    expect([...ref.rights('alice', 'account', 'a_alice')].sort()).toEqual(['read', 'write']);
    expect([...ref.rights('alice', 'account', 'a_bob')]).toEqual(['read']);
  });
  it('an assignment in another BU uses that BU as B', () => {
    const ref = new Reference(contoso([{ principalId: 'alice', role: 'read_bu', businessUnitId: 'service', inheritance: 'team_only' }]));
    expect(ref.visible('alice', 'account').sort()).toEqual(['a_alice', 'a_carol', 'a_team_sales']);
  });
});

describe('organization-owned tables', () => {
  it('only organization depth reaches their records', () => {
    const ref = new Reference(contoso([holds('alice', 'catalog')]));
    expect(ref.visible('alice', 'product')).toEqual(['p1']);
    expect(ref.visible('bob', 'product')).toEqual([]);
    expect(ref.canCreate('alice', 'product', null, null).granted).toBe(true);
    expect(ref.canCreate('bob', 'product', null, null).granted).toBe(false);
  });
});

describe('create scope', () => {
  it('user depth: owned by U or by an owner team of U', () => {
    const ref = new Reference(contoso([holds('alice', 'create_user')]));
    expect(ref.canCreate('alice', 'account', 'alice', 'sales').granted).toBe(true);
    expect(ref.canCreate('alice', 'account', 'team_sales', 'sales').granted).toBe(true);
    expect(ref.canCreate('alice', 'account', 'dave', 'sales').granted).toBe(false);
  });
  it('business_unit depth: any owner in B', () => {
    const ref = new Reference(contoso([holds('alice', 'create_bu')]));
    expect(ref.canCreate('alice', 'account', 'dave', 'sales').granted).toBe(true);
    expect(ref.canCreate('alice', 'account', 'bob', 'emea').granted).toBe(false);
  });
  it('read does not give create', () => {
    expect(new Reference(contoso([holds('alice', 'read_org')])).canCreate('alice', 'account', 'alice', 'sales').granted).toBe(false);
  });
});
