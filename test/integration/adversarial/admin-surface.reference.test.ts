// The oracle of the admin-surface property test (src/reference/admin*.ts) on
// the findings of issue 14 it must recognise, so that a reference grown too
// lenient fails here and not silently in the property test: F1 (a team's
// roles through add_team_member), F2 (a team's profiles), a team's shares,
// F3 (a record's
// access team through add_team_member), F14 (a self-share cascade), a record
// the caller cannot read (22023, nothing else), and System Administrator
// exempt. No database: the rules alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/model/index.ts';
import { applyAdmin, decideAdmin, escalations, type AdminCall, type AdminOrganization } from '../../../src/reference/index.ts';
import { fixtureModelFile } from '../../support/secured.ts';
import { adminModel } from './admin-surface/organization.ts';

let base: AdminOrganization;

beforeAll(async () => {
  const model = adminModel(await loadModel(fixtureModelFile('admin')));
  base = {
    ...model,
    businessUnits: [{ id: 'root', parentId: null }, { id: 'sales', parentId: 'root' }],
    users: ['henry', 'judy', 'alice', 'carol', 'root_admin'].map((id) => ({ id, businessUnitId: 'sales', accessMode: 'read_write' as const, disabled: false })),
    teams: [
      { id: 'stewards', businessUnitId: 'sales', type: 'owner', members: [] },
      { id: 'payroll', businessUnitId: 'sales', type: 'owner', members: [] },
      { id: 'acc_team', businessUnitId: 'sales', type: 'access', members: ['alice'] },
    ],
    assignments: [
      { principalId: 'henry', role: 'env_admin', businessUnitId: null, inheritance: 'team_only' },
      { principalId: 'stewards', role: 'data_steward', businessUnitId: null, inheritance: 'team_only' },
      { principalId: 'alice', role: 'sales_user', businessUnitId: null, inheritance: 'team_only' },
      { principalId: 'carol', role: 'sales_user', businessUnitId: null, inheritance: 'team_only' },
      { principalId: 'root_admin', role: 'system_administrator', businessUnitId: null, inheritance: 'team_only' },
    ],
    records: {
      account: [{ id: 'acc', ownerId: 'alice', owningBusinessUnitId: 'sales' }, { id: 'carols', ownerId: 'carol', owningBusinessUnitId: 'sales' }],
      contact: [{ id: 'con', ownerId: 'carol', owningBusinessUnitId: 'sales' }],
      product: [],
    },
    links: [{ table: 'contact', recordId: 'con', parentTable: 'account', parentId: 'acc' }],
    profileMembers: [{ profile: 'revenue_read', principalId: 'payroll' }],
    recordTeams: [{ teamId: 'acc_team', table: 'account', recordId: 'acc', template: 'account_team' }],
    shares: [{ table: 'account', recordId: 'acc', principalId: 'acc_team', rights: ['read', 'write', 'append'] }],
  };
});

const decide = (caller: string, call: AdminCall) => decideAdmin(base, caller, call);
/** What the call would give beyond the caller's holdings if it were made anyway. */
const escalationsIfMade = (caller: string, call: AdminCall) => escalations(base, applyAdmin(base, caller, call), caller, call);

describe('the reference admin rules', () => {
  it('F1: a team member gains the team roles only if the caller could assign them', () => {
    const call: AdminCall = { fn: 'add_team_member', teamId: 'stewards', userId: 'judy' };
    expect(decide('henry', { fn: 'assign_role', principalId: 'judy', role: 'data_steward', inheritance: 'team_only' })).toMatchObject({ kind: 'refused', codes: ['42501'] });
    expect(decide('henry', call)).toMatchObject({ kind: 'refused', codes: ['42501'] });
    expect(escalationsIfMade('henry', call).join('\n')).toMatch(/judy gained read on account at organization/);
    expect(decide('root_admin', call)).toEqual({ kind: 'allowed' });
    expect(escalationsIfMade('root_admin', call)).toEqual([]);
  });

  it('F2: a team member gains the team profiles only if the caller holds their columns', () => {
    const call: AdminCall = { fn: 'add_team_member', teamId: 'payroll', userId: 'judy' };
    expect(decide('henry', call)).toMatchObject({ kind: 'refused', codes: ['42501'] });
    expect(escalationsIfMade('henry', call).join('\n')).toMatch(/judy gained read on account.revenue through a profile/);
  });

  it('a team member gains the team shares only if the caller could grant them', () => {
    const org: AdminOrganization = { ...base, shares: [...base.shares, { table: 'account', recordId: 'carols', principalId: 'payroll', rights: ['read'] }], profileMembers: [] };
    const call: AdminCall = { fn: 'add_team_member', teamId: 'payroll', userId: 'judy' };
    expect(decideAdmin(org, 'henry', call)).toMatchObject({ kind: 'refused', codes: ['42501'] });
    expect(escalations(org, applyAdmin(org, 'henry', call), 'henry', call).join('\n')).toMatch(/judy gained read on account carols through a share/);
    expect(decideAdmin(org, 'carol', call)).toMatchObject({ kind: 'refused' }); // carol holds the share's right but no write on team
  });

  it("a record's access team member gains the team's extra shares only if the caller could grant them", () => {
    // acc_readers (template: read) was also given delete on acc by its owner alice; henry holds read and share on acc
    const org: AdminOrganization = {
      ...base,
      teams: [...base.teams, { id: 'acc_readers', businessUnitId: 'sales', type: 'access', members: ['alice'] }],
      recordTeams: [...base.recordTeams, { teamId: 'acc_readers', table: 'account', recordId: 'acc', template: 'account_readers' }],
      shares: [...base.shares, { table: 'account', recordId: 'acc', principalId: 'acc_readers', rights: ['read', 'delete'] }],
      assignments: [...base.assignments, { principalId: 'henry', role: 'sharer_deep', businessUnitId: null, inheritance: 'team_only' }],
    };
    const call: AdminCall = { fn: 'add_access_team_member', table: 'account', recordId: 'acc', template: 'account_readers', userId: 'carol' };
    expect(decideAdmin(org, 'henry', call)).toEqual({ kind: 'refused', codes: ['42501'], why: ['acc_readers holds delete on account acc through a share; henry does not'] });
    expect(escalations(org, applyAdmin(org, 'henry', call), 'henry', call).join('\n')).toMatch(/carol gained delete on account acc through a share/);
    expect(decideAdmin(org, 'alice', call)).toEqual({ kind: 'allowed' }); // the owner holds delete
  });

  it('F3: a record access team changes through add_access_team_member only (22023 first, whoever calls)', () => {
    for (const caller of ['henry', 'root_admin']) {
      expect(decide(caller, { fn: 'add_team_member', teamId: 'acc_team', userId: 'judy' })).toMatchObject({ kind: 'refused', codes: ['22023'] });
    }
  });

  it('F14: a self-share cascades to a child only the rights the sharer holds there', () => {
    const call: AdminCall = { fn: 'grant_access', table: 'account', recordId: 'acc', principalId: 'alice', rights: ['read', 'write', 'delete'] };
    expect(decide('alice', call)).toEqual({ kind: 'allowed' });
    const after = applyAdmin(base, 'alice', call);
    expect(after.shares.filter((s) => s.table === 'contact')).toEqual([]);
    expect(escalations(base, after, 'alice', call)).toEqual([]);
    // shared with someone else, the cascade carries every right (no check of the sharer's rights on each child)
    const other: AdminCall = { ...call, principalId: 'carol' };
    expect(applyAdmin(base, 'alice', other).shares.filter((s) => s.table === 'contact').map((s) => s.rights)).toEqual([['read', 'write', 'delete']]);
  });

  it('a record the caller cannot read is 22023 and nothing else', () => {
    expect(decide('alice', { fn: 'grant_access', table: 'account', recordId: 'carols', principalId: 'judy', rights: ['read'] })).toMatchObject({ kind: 'refused', codes: ['22023'] });
    expect(decide('henry', { fn: 'share_field', table: 'account', recordId: 'acc', column: 'revenue', principalId: 'judy', canRead: true, canUpdate: false })).toMatchObject({ kind: 'refused', codes: ['22023'] });
  });

  it('a share of a right the caller lacks is refused and would be an escalation', () => {
    const call: AdminCall = { fn: 'grant_access', table: 'account', recordId: 'acc', principalId: 'judy', rights: ['read'] };
    expect(decide('alice', call)).toEqual({ kind: 'allowed' });
    const wider: AdminCall = { fn: 'share_field', table: 'account', recordId: 'acc', column: 'revenue', principalId: 'judy', canRead: true, canUpdate: false };
    expect(decide('alice', wider)).toMatchObject({ kind: 'refused', codes: ['42501'] });
    expect(escalationsIfMade('alice', wider).join('\n')).toMatch(/judy gained read on account.revenue of acc through a field share/);
  });
});
