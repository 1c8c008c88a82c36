// SPEC §2 "Default business-unit teams" and "Moving a user": every BU has an
// owner team whose members are exactly the BU's users; moving a user moves
// that membership and removes the user's own role assignments unless the
// model option keepRolesOnBusinessUnitChange is on (roles held through teams
// stay).
import type { Organization, Team } from './organization.ts';

/** The BU's default team, if the organization lists it. */
export function defaultTeamOf(org: Organization, businessUnitId: string): Team | undefined {
  return org.teams.find((t) => t.isDefault && t.businessUnitId === businessUnitId);
}

/** Sets every default team's members to its BU's users (what create_user keeps). */
export function syncDefaultTeams(org: Organization): void {
  for (const t of org.teams) {
    if (t.isDefault) t.members = org.users.filter((u) => u.businessUnitId === t.businessUnitId).map((u) => u.id).sort();
  }
}

/** move_user on the organization (in place). */
export function moveUser(org: Organization, userId: string, businessUnitId: string): void {
  const user = org.users.find((u) => u.id === userId);
  if (!user) throw new Error(`no user ${userId}`);
  if (user.businessUnitId === businessUnitId) return;
  user.businessUnitId = businessUnitId;
  if (!org.keepRolesOnBusinessUnitChange) org.assignments = org.assignments.filter((a) => a.principalId !== userId);
  syncDefaultTeams(org);
}
