// docs/security-model.md rule 3: a share reaches U when it names U or any team U belongs to
// (owner or access team) and carries the right. That U also holds the
// privilege at user depth or wider is checked by the caller (evaluate.ts), as
// for every reach beyond the roles' own scopes.
import type { Right } from '../model/types.ts';
import type { Organization } from './organization.ts';

/** Reasons (one per share) the record is shared with the user with the right. */
export function sharedReasons(org: Organization, userId: string, table: string, recordId: string, right: Right): string[] {
  const teams = new Set(org.teams.filter((t) => t.members.includes(userId)).map((t) => t.id));
  return org.shares
    .filter((s) => s.table === table && s.recordId === recordId && s.rights.includes(right))
    .filter((s) => s.principalId === userId || teams.has(s.principalId))
    .map((s) => (s.principalId === userId ? `shared with the user (${s.rights.join(', ')})` : `shared with team ${s.principalId} (${s.rights.join(', ')})`));
}
