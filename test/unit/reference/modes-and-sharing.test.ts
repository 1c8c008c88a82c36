// docs/security-model.md rules 1, 3 and 5 in the reference evaluator: access modes, disabled
// users, sharing (which needs user depth) and System Administrator.
import { describe, expect, it } from 'vitest';
import { Reference, type Share } from '../../../src/reference/index.ts';
import { contoso, holds } from './contoso.ts';

const withMode = (patch: object, roles = ['writer_user', 'create_user']) => {
  const org = contoso(roles.map((r) => holds('alice', r)));
  Object.assign(org.users.find((u) => u.id === 'alice')!, patch);
  return new Reference(org);
};

describe('access modes (rule 1)', () => {
  it('read_write and non_interactive: as the roles say', () => {
    for (const accessMode of ['read_write', 'non_interactive']) {
      const ref = withMode({ accessMode });
      expect([...ref.rights('alice', 'account', 'a_alice')].sort()).toEqual(['read', 'write']);
      expect(ref.canCreate('alice', 'account', 'alice', 'sales').granted).toBe(true);
    }
  });
  it('read: reads only, creates nothing', () => {
    const ref = withMode({ accessMode: 'read' });
    expect([...ref.rights('alice', 'account', 'a_alice')]).toEqual(['read']);
    expect(ref.decide('alice', 'account', 'write', 'a_alice').reasons).toEqual(['access mode read allows reading only']);
    expect(ref.canCreate('alice', 'account', 'alice', 'sales').granted).toBe(false);
  });
  it('administrative: nothing on business tables', () => {
    const ref = withMode({ accessMode: 'administrative' });
    expect(ref.rights('alice', 'account', 'a_alice').size).toBe(0);
    expect(ref.canCreate('alice', 'account', 'alice', 'sales').granted).toBe(false);
  });
  it('disabled: nothing at all', () => {
    const ref = withMode({ disabled: true });
    expect(ref.rights('alice', 'account', 'a_alice').size).toBe(0);
    expect(ref.decide('alice', 'account', 'read', 'a_alice').reasons).toEqual(['the user is disabled']);
  });
});

describe('System Administrator (rule 5)', () => {
  it('every right on every record of every table, and create anywhere', () => {
    const ref = withMode({}, ['system_administrator']);
    expect(ref.visible('alice', 'account')).toHaveLength(6);
    expect(ref.rights('alice', 'account', 'a_carol').size).toBe(7);
    expect(ref.rights('alice', 'product', 'p1').size).toBe(7);
    expect(ref.canCreate('alice', 'account', 'carol', 'service').granted).toBe(true);
  });
  it('held through an owner team too', () => {
    const ref = new Reference(contoso([{ principalId: 'team_sales', role: 'system_administrator', businessUnitId: null, inheritance: 'team_only' }]));
    expect(ref.visible('alice', 'account')).toHaveLength(6);
  });
  it('but not while disabled, and access modes still apply', () => {
    expect(withMode({ disabled: true }, ['system_administrator']).visible('alice', 'account')).toEqual([]);
    expect([...withMode({ accessMode: 'read' }, ['system_administrator']).rights('alice', 'account', 'a_carol')]).toEqual(['read']);
  });
});

describe('sharing (rule 3)', () => {
  const share = (principalId: string, rights: Share['rights'], recordId = 'a_carol'): Share => ({ table: 'account', recordId, principalId, rights });

  it('a share reaches the user when they hold the privilege at user depth', () => {
    const ref = new Reference(contoso([holds('alice', 'writer_user')], { shares: [share('alice', ['read', 'write', 'delete'])] }));
    expect([...ref.rights('alice', 'account', 'a_carol')].sort()).toEqual(['read', 'write']);
    expect(ref.decide('alice', 'account', 'read', 'a_carol').reasons).toEqual(['shared with the user (read, write, delete)']);
  });
  it('gives nothing without the privilege (it takes effect once they hold it)', () => {
    const shares = [share('alice', ['read'])];
    expect(new Reference(contoso([], { shares })).visible('alice', 'account')).toEqual([]);
    expect(new Reference(contoso([holds('alice', 'read_user')], { shares })).visible('alice', 'account').sort()).toEqual(['a_alice', 'a_carol', 'a_team_sales']);
  });
  it('reaches members of owner and access teams', () => {
    const shares = [share('deal_room', ['read'], 'a_bob'), share('team_sales', ['read'], 'a_dave')];
    const ref = new Reference(contoso([holds('carol', 'read_user'), holds('alice', 'read_user')], { shares }));
    expect(ref.visible('carol', 'account').sort()).toEqual(['a_bob', 'a_carol']);
    expect(ref.visible('alice', 'account').sort()).toEqual(['a_alice', 'a_dave', 'a_team_sales']);
  });
  it('a share only gives the rights it names', () => {
    const ref = new Reference(contoso([holds('alice', 'writer_user')], { shares: [share('alice', ['read'])] }));
    expect([...ref.rights('alice', 'account', 'a_carol')]).toEqual(['read']);
  });
  it('a share is refused by the access mode like everything else', () => {
    const org = contoso([holds('alice', 'writer_user')], { shares: [share('alice', ['read', 'write'])] });
    org.users.find((u) => u.id === 'alice')!.accessMode = 'read';
    expect([...new Reference(org).rights('alice', 'account', 'a_carol')]).toEqual(['read']);
  });
});
