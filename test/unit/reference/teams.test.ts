// docs/security-model.md rule 2, roles held through owner teams: B is the team's BU; user depth
// covers the team's records only, unless direct_user_and_team; access teams hold
// no roles.
import { describe, expect, it } from 'vitest';
import { Reference, type RoleAssignment } from '../../../src/reference/index.ts';
import { contoso } from './contoso.ts';

const teamRole = (principalId: string, role: string, inheritance: RoleAssignment['inheritance'] = 'team_only'): RoleAssignment =>
  ({ principalId, role, businessUnitId: null, inheritance });

describe('team_only', () => {
  it('user depth covers the team\'s records, not the member\'s own', () => {
    const ref = new Reference(contoso([teamRole('team_emea', 'read_user')]));
    expect(ref.visible('dave', 'account')).toEqual(['a_team_emea']);
  });
  it('business_unit depth uses the team\'s BU, not the member\'s', () => {
    // dave is in sales; team_emea is in emea
    const ref = new Reference(contoso([teamRole('team_emea', 'read_bu')]));
    expect(ref.visible('dave', 'account').sort()).toEqual(['a_bob', 'a_team_emea']);
  });
  it('does not cover the member\'s other owner teams', () => {
    const org = contoso([teamRole('team_emea', 'read_user')]);
    org.teams.find((t) => t.id === 'team_sales')!.members.push('dave');
    expect(new Reference(org).visible('dave', 'account')).toEqual(['a_team_emea']);
  });
  it('non-members get nothing from the team\'s roles', () => {
    expect(new Reference(contoso([teamRole('team_emea', 'read_org')])).visible('bob', 'account')).toEqual([]);
  });
});

describe('direct_user_and_team', () => {
  it('user depth also covers records the member owns', () => {
    const ref = new Reference(contoso([teamRole('team_emea', 'read_user', 'direct_user_and_team')]));
    expect(ref.visible('dave', 'account').sort()).toEqual(['a_dave', 'a_team_emea']);
  });
  it('and lets the member create records they own themselves', () => {
    const only = new Reference(contoso([teamRole('team_emea', 'create_user')]));
    expect(only.canCreate('dave', 'account', 'dave', 'sales').granted).toBe(false);
    expect(only.canCreate('dave', 'account', 'team_emea', 'emea').granted).toBe(true);
    const direct = new Reference(contoso([teamRole('team_emea', 'create_user', 'direct_user_and_team')]));
    expect(direct.canCreate('dave', 'account', 'dave', 'sales').granted).toBe(true);
  });
});

describe('access teams', () => {
  it('hold no roles: an assignment to one gives nothing', () => {
    expect(new Reference(contoso([teamRole('deal_room', 'read_org')])).visible('carol', 'account')).toEqual([]);
  });
});
