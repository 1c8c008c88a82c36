// docs/security-model.md "Field security": a secured column is readable (or settable on
// create, or updatable) only through a profile that grants the permission to
// the user or a team they belong to, through a field share of that column on
// that record (read / update only), or by System Administrator. Whether the
// user may see the record at all is a separate question (evaluate.ts); this
// answers for a record the user can read.
import type { FieldPermission } from '../model/types.ts';
import { SYSTEM_ADMINISTRATOR, type Organization } from './organization.ts';
import { ownerTeamsOf } from './role-scope.ts';

/** Reasons the user holds the permission on the column of that record (empty: masked / refused). */
export function fieldReasons(org: Organization, userId: string, table: string, column: string, recordId: string | null, permission: FieldPermission): string[] {
  if (!org.tables[table]?.securedColumns?.includes(column)) return ['the column is not secured'];
  const reasons: string[] = [];
  // System Administrator held directly or through an owner team (roles add up; access teams hold none)
  const holders = new Set([userId, ...ownerTeamsOf(org, userId)]);
  if (org.assignments.some((a) => a.role === SYSTEM_ADMINISTRATOR && holders.has(a.principalId))) reasons.push('System Administrator');
  // profiles and field shares reach the user directly or through any team (owner or access)
  const principals = new Set([userId, ...org.teams.filter((t) => t.members.includes(userId)).map((t) => t.id)]);
  for (const m of org.profileMembers ?? []) {
    if (!principals.has(m.principalId)) continue;
    const profile = org.fieldProfiles?.find((p) => p.name === m.profile);
    if (profile?.columns.some((c) => c.table === table && c.column === column && c.permissions.includes(permission))) {
      reasons.push(`profile ${m.profile}${m.principalId === userId ? '' : ` through team ${m.principalId}`}`);
    }
  }
  if (recordId !== null && permission !== 'create') {
    for (const s of org.fieldShares ?? []) {
      if (s.table !== table || s.recordId !== recordId || s.column !== column || !principals.has(s.principalId)) continue;
      if (permission === 'read' ? s.canRead : s.canUpdate) reasons.push(`field share with ${s.principalId === userId ? 'the user' : `team ${s.principalId}`}`);
    }
  }
  return reasons;
}
