// No indirect escalation (a rule of docs/security-model.md "Security data is guarded too"),
// as a property of one call: no principal
// gains — directly or through a team's roles, a team's field security
// profiles, an access team, or a share — a privilege, depth, right or column
// permission the caller could not have granted directly (System Administrator
// exempt). Holdings here are what each path gives, independent of access
// modes, BUs and hierarchy (those change what holdings reach, not what was
// granted); the caller's own holdings are taken before the call.
//
// The paths the contract bounds, and how:
// - roles (direct and through owner teams): each privilege's depth, misc
//   privileges and System Administrator must be the caller's own;
// - profiles (direct and through any team): each column permission the
//   caller's own;
// - shares and access teams: each right on each record the caller's own
//   there (also what a new team member gains through the team's shares: "an
//   access team, or a share" are paths of the rule); on records a share's
//   cascade reached (not the one the call named) only for the caller and teams
//   the caller belongs to ("cascaded shares ... reach the children without a
//   separate check of the caller's rights on each child");
// - field shares: each permission on each record's column the caller's own.
import { DEPTHS, PRIVILEGES, type Right } from '../model/types.ts';
import type { AdminCall, AdminOrganization } from './admin-state.ts';
import { heldDepth, holdsColumn, holdsMisc, isSystemAdministrator, ownsField, rankOf } from './admin-holdings.ts';
import { Reference } from './evaluate.ts';
import { SYSTEM_ADMINISTRATOR, type Organization } from './organization.ts';

/** What the paths give one principal; each entry a key, privileges with their depth rank. */
export interface Holdings {
  privileges: Map<string, number>;
  misc: Set<string>;
  systemAdministrator: boolean;
  columns: Set<string>;
  /** `table/record/right` through shares (the principal's own and, for a user, its teams') */
  shared: Set<string>;
  /** `table/record/column/read|update` through field shares */
  fieldShared: Set<string>;
}

const tablesOf = (org: Organization) => [...Object.keys(org.tables), 'business_unit', 'system_user', 'team', 'security_role', 'field_security_profile'];

/** The holdings of a user or team through the paths the contract bounds. */
export function holdingsOf(org: AdminOrganization, principalId: string): Holdings {
  const user = org.users.find((u) => u.id === principalId);
  const teamsOfUser = user ? org.teams.filter((t) => t.members.includes(user.id)) : [];
  // roles: a user's own and its owner teams'; a team's own
  const roleHolders = new Set([principalId, ...teamsOfUser.filter((t) => t.type === 'owner').map((t) => t.id)]);
  const roles = org.assignments.filter((a) => roleHolders.has(a.principalId)).map((a) => a.role);
  const privileges = new Map<string, number>();
  const misc = new Set<string>();
  for (const name of roles) {
    if (name === SYSTEM_ADMINISTRATOR) continue;
    const role = org.roles.find((r) => r.name === name)!;
    for (const [table, ps] of Object.entries(role.privileges)) {
      for (const [p, d] of Object.entries(ps)) {
        const key = `${table}.${p}`;
        if (d && rankOf(d) > (privileges.get(key) ?? 0)) privileges.set(key, rankOf(d));
      }
    }
    for (const m of role.misc ?? []) misc.add(m);
  }
  // profiles and shares reach a user through every team (owner or access)
  const reached = new Set([principalId, ...teamsOfUser.map((t) => t.id)]);
  const columns = new Set<string>();
  for (const m of org.profileMembers ?? []) {
    if (!reached.has(m.principalId)) continue;
    for (const c of org.fieldProfiles!.find((p) => p.name === m.profile)!.columns) for (const p of c.permissions) columns.add(`${c.table}.${c.column}.${p}`);
  }
  const shared = new Set<string>();
  for (const s of org.shares) if (reached.has(s.principalId)) for (const r of s.rights) shared.add(`${s.table}/${s.recordId}/${r}`);
  const fieldShared = new Set<string>();
  for (const f of org.fieldShares ?? []) {
    if (!reached.has(f.principalId)) continue;
    if (f.canRead) fieldShared.add(`${f.table}/${f.recordId}/${f.column}/read`);
    if (f.canUpdate) fieldShared.add(`${f.table}/${f.recordId}/${f.column}/update`);
  }
  return { privileges, misc, systemAdministrator: roles.includes(SYSTEM_ADMINISTRATOR), columns, shared, fieldShared };
}

/** Every way the call gave a principal more than the caller could have granted directly (empty: none). */
export function escalations(before: AdminOrganization, after: AdminOrganization, callerId: string, call: AdminCall): string[] {
  const me = before.users.find((u) => u.id === callerId)!;
  if (isSystemAdministrator(before, me)) return [];
  const ref = new Reference(before);
  const found: string[] = [];
  const callersTeams = new Set(before.teams.filter((t) => t.members.includes(callerId)).map((t) => t.id));
  const named = 'recordId' in call ? `${call.table}/${call.recordId}` : null;
  const sharing = call.fn === 'grant_access' || call.fn === 'modify_access';
  const tables = tablesOf(before);
  for (const p of [...after.users, ...after.teams]) {
    const was = holdingsOf(before, p.id);
    const now = holdingsOf(after, p.id);
    if (now.systemAdministrator && !was.systemAdministrator) found.push(`${p.id} gained System Administrator`);
    for (const table of tables) {
      for (const privilege of PRIVILEGES) {
        const key = `${table}.${privilege}`;
        const gained = now.privileges.get(key) ?? 0;
        if (gained <= (was.privileges.get(key) ?? 0)) continue;
        const mine = heldDepth(before, me, table, privilege);
        if (rankOf(mine) < gained) found.push(`${p.id} gained ${privilege} on ${table} at ${DEPTHS[gained]}; ${callerId} holds ${mine}`);
      }
    }
    for (const m of now.misc) if (!was.misc.has(m) && !holdsMisc(before, me, m)) found.push(`${p.id} gained misc ${m}, which ${callerId} does not hold`);
    for (const c of now.columns) {
      if (was.columns.has(c)) continue;
      const [table, column, permission] = c.split('.') as [string, string, 'read' | 'create' | 'update'];
      if (!holdsColumn(before, me, table, column, permission)) found.push(`${p.id} gained ${permission} on ${table}.${column} through a profile, which ${callerId} does not hold`);
    }
    for (const s of now.shared) {
      if (was.shared.has(s)) continue;
      const [table, recordId, right] = s.split('/') as [string, string, Right];
      const cascaded = sharing && `${table}/${recordId}` !== named;
      if (cascaded && p.id !== callerId && !callersTeams.has(p.id)) continue;
      if (!ref.decide(callerId, table, right, recordId).granted) found.push(`${p.id} gained ${right} on ${table} ${recordId} through a share, which ${callerId} does not hold there`);
    }
    for (const f of now.fieldShared) {
      if (was.fieldShared.has(f)) continue;
      const [table, recordId, column, permission] = f.split('/') as [string, string, string, 'read' | 'update'];
      if (!ownsField(before, me, table, recordId, column, permission)) found.push(`${p.id} gained ${permission} on ${table}.${column} of ${recordId} through a field share, which ${callerId} does not hold`);
    }
  }
  return found;
}
