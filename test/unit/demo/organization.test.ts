// The demo's plan refers to itself by name (users, positions, teams, profiles,
// accounts by owner and index): every name must resolve, or the seed fails
// half-way on someone's fresh clone.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_TEAM, AUDITED_CHANGES, SHARES } from '../../../src/demo/collaboration.ts';
import { BUSINESS_UNITS, DEMO_USERS, DEPARTMENT_MANAGERS, POSITIONS, PROFILE_MEMBERS } from '../../../src/demo/organization.ts';
import { DEMO_MODEL_FILE } from '../../../src/demo/paths.ts';
import { sampleAccounts, sampleEmployees } from '../../../src/demo/sample-data.ts';
import { loadModel } from '../../../src/model/index.ts';

const roles = new Set(DEMO_USERS.map((u) => u.role));

describe('the demo organization', () => {
  it('places users in existing business units and positions, parents first', () => {
    const bus = new Set(BUSINESS_UNITS.map(([name]) => name));
    const positions = new Set<string>();
    for (const [name, parent] of POSITIONS) {
      if (parent !== null) expect(positions.has(parent), `${name}'s parent ${parent}`).toBe(true);
      positions.add(name);
    }
    for (const u of DEMO_USERS) {
      expect(bus.has(u.businessUnit), u.role).toBe(true);
      if (u.position) expect(positions.has(u.position), u.role).toBe(true);
    }
    expect(roles.size).toBe(DEMO_USERS.length);
  });

  it('uses only roles, profiles and templates the model declares', async () => {
    const model = await loadModel(DEMO_MODEL_FILE);
    const modelRoles = new Set([...model.roles.map((r) => r.name), 'system_administrator']);
    for (const u of DEMO_USERS) for (const r of u.roles) expect(modelRoles.has(r), `${u.role}: ${r}`).toBe(true);
    const profiles = new Set(model.fieldSecurityProfiles.map((p) => p.name));
    for (const m of PROFILE_MEMBERS) expect(profiles.has(m.profile), m.profile).toBe(true);
    const account = model.tables.find((t) => t.name === 'account')!;
    expect(Object.keys(account.accessTeamTemplates)).toContain(ACCOUNT_TEAM.template);
    expect(model.hierarchy.model).toBe('position');
  });

  it('shares, teams and audited changes name existing users, teams and accounts', () => {
    const accounts = sampleAccounts(DEMO_USERS);
    const exists = (ref: { owner: string; index: number }) => accounts.filter((a) => a.owner === ref.owner).length > ref.index;
    for (const m of DEPARTMENT_MANAGERS.members) expect(roles.has(m), m).toBe(true);
    for (const m of PROFILE_MEMBERS) expect(m.user ? roles.has(m.user) : m.team === DEPARTMENT_MANAGERS.name).toBe(true);
    for (const s of SHARES) {
      expect(exists(s.account)).toBe(true);
      expect('user' in s.principal ? roles.has(s.principal.user) : s.principal.team === DEPARTMENT_MANAGERS.name).toBe(true);
    }
    expect(exists(ACCOUNT_TEAM.account)).toBe(true);
    for (const m of ACCOUNT_TEAM.members) expect(roles.has(m)).toBe(true);
    for (const c of AUDITED_CHANGES) {
      expect(roles.has(c.as)).toBe(true);
      expect(c.account ? exists(c.account) : roles.has(c.employee!)).toBe(true);
    }
  });

  it('has one employee record per user, with a salary', () => {
    const employees = sampleEmployees(DEMO_USERS);
    expect(employees.map((e) => e.owner)).toEqual(DEMO_USERS.map((u) => u.role));
    for (const e of employees) {
      expect(e.annualIncome).toBeGreaterThan(0);
      expect(e.hireDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
