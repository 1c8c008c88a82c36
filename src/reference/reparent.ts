// SPEC §2 Reparent: under a relationship whose reparent cascade is not `none`,
// the owner of the parent record (a user, or every member of an owning owner
// team) reads the child. Only the immediate parent, only read, never through
// the owner's hierarchy; that the user holds read on the child's table at user
// depth or wider is checked by the caller (evaluate.ts), as for sharing.
import type { Right } from '../model/types.ts';
import type { Organization, RecordRow, User } from './organization.ts';
import { ownerTeamsOf } from './role-scope.ts';

/** Reasons (one per parent the user owns, directly or through an owner team) the user reads the child. */
export function parentOwnerReasons(org: Organization, user: User, table: string, right: Right, record: RecordRow): string[] {
  if (right !== 'read' || org.tables[table]?.ownership !== 'user') return [];
  const teams = new Set(ownerTeamsOf(org, user.id));
  const reasons: string[] = [];
  for (const rel of org.tables[table]?.relationships ?? []) {
    if (rel.reparent === 'none' || org.tables[rel.references]?.ownership !== 'user') continue;
    const parentId = record.parents?.[rel.column];
    if (!parentId) continue;
    const owner = org.records[rel.references]?.find((r) => r.id === parentId)?.ownerId;
    if (owner === user.id) reasons.push(`owner of parent ${rel.references} ${parentId}`);
    else if (owner && teams.has(owner)) reasons.push(`owner of parent ${rel.references} ${parentId} through team ${owner}`);
  }
  return reasons;
}
