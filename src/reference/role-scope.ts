// docs/security-model.md rule 2 (role assignments and their scopes) and rule 5 (System
// Administrator). A grant is one role assignment that gives the privilege at a
// depth above none, with what its scope covers.
import { DEPTHS, type Depth, type Privilege } from '../model/types.ts';
import type { BusinessUnitTree } from './business-units.ts';
import { SYSTEM_ADMINISTRATOR, type Organization, type RecordRow, type User } from './organization.ts';

export interface Grant {
  role: string;
  depth: Exclude<Depth, 'none'>;
  /** the BU context B */
  businessUnitId: string;
  /** the owner team the role is held through, or null when held by the user */
  viaTeam: string | null;
  /** owners whose records the `user` part of the scope covers */
  owners: ReadonlySet<string>;
}

export const depthRank = (d: Depth): number => DEPTHS.indexOf(d);

/** The owner teams the user is a member of (access teams hold no roles and own nothing). */
export function ownerTeamsOf(org: Organization, userId: string): string[] {
  return org.teams.filter((t) => t.type === 'owner' && t.members.includes(userId)).map((t) => t.id);
}

function depthOf(org: Organization, roleName: string, table: string, privilege: Privilege): Depth {
  if (roleName === SYSTEM_ADMINISTRATOR) return 'organization'; // rule 5
  const role = org.roles.find((r) => r.name === roleName);
  if (!role) throw new Error(`no role ${roleName}`);
  return role.privileges[table]?.[privilege] ?? 'none';
}

/** Every assignment that gives `user` the privilege on the table (rule 1 is checked elsewhere). */
export function grantsOf(org: Organization, user: User, table: string, privilege: Privilege): Grant[] {
  const grants: Grant[] = [];
  const teams = ownerTeamsOf(org, user.id);
  for (const a of org.assignments) {
    const depth = depthOf(org, a.role, table, privilege);
    if (depth === 'none') continue;
    if (a.principalId === user.id) {
      // held directly: B is the assignment's BU; user depth covers U and U's owner teams, any BU
      grants.push({ role: a.role, depth, businessUnitId: a.businessUnitId ?? user.businessUnitId, viaTeam: null, owners: new Set([user.id, ...teams]) });
    } else if (teams.includes(a.principalId)) {
      // held through an owner team: B is the team's BU; user depth covers the team's
      // records, and U's own with direct_user_and_team
      const team = org.teams.find((t) => t.id === a.principalId)!;
      const owners = a.inheritance === 'direct_user_and_team' ? [team.id, user.id] : [team.id];
      grants.push({ role: a.role, depth, businessUnitId: team.businessUnitId, viaTeam: team.id, owners: new Set(owners) });
    }
  }
  return grants;
}

/** The widest depth among the grants ('none' when there is none). */
export function widestDepth(grants: readonly Grant[]): Depth {
  return grants.reduce<Depth>((w, g) => (depthRank(g.depth) > depthRank(w) ? g.depth : w), 'none');
}

/** Where an owner and owning BU fall; records of organization-owned tables have neither. */
export type Placement = Pick<RecordRow, 'ownerId' | 'owningBusinessUnitId'>;

/** Whether the grant's scope contains a record placed there (the table of rule 2). */
export function inScope(grant: Grant, at: Placement, tree: BusinessUnitTree): boolean {
  const owned = at.ownerId !== null && grant.owners.has(at.ownerId);
  const bu = at.owningBusinessUnitId;
  switch (grant.depth) {
    case 'user':
      return owned;
    case 'business_unit':
      return owned || bu === grant.businessUnitId;
    case 'parent_child':
      return owned || (bu !== null && tree.isWithin(bu, grant.businessUnitId));
    case 'organization':
      return true;
  }
}

export function describeGrant(g: Grant): string {
  const via = g.viaTeam ? ` through team ${g.viaTeam}` : '';
  const where = g.depth === 'business_unit' || g.depth === 'parent_child' ? ` in BU ${g.businessUnitId}` : '';
  return `role ${g.role} at ${g.depth} depth${via}${where}`;
}
