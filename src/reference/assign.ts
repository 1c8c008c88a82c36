// SPEC §2 Assign: besides `assign` on the record, the new owner (an enabled user
// or an owner team) must hold read on the table at user depth or wider through
// any of its roles -- a user also through its owner teams' roles -- or the
// assign is refused ("missing prvRead"). Access mode and rule 1 do not enter:
// an owner is judged by its roles.
import { DEPTHS, type Depth, type Privilege } from '../model/types.ts';
import { SYSTEM_ADMINISTRATOR, type Organization } from './organization.ts';
import { ownerTeamsOf } from './role-scope.ts';

/** The widest depth the principal's roles (a user's: also its owner teams') give the privilege at. */
export function principalDepth(org: Organization, principalId: string, table: string, privilege: Privilege): Depth {
  const holders = new Set([principalId, ...(org.users.some((u) => u.id === principalId) ? ownerTeamsOf(org, principalId) : [])]);
  let widest = 0;
  for (const a of org.assignments) {
    if (!holders.has(a.principalId)) continue;
    const depth: Depth = a.role === SYSTEM_ADMINISTRATOR ? 'organization' : org.roles.find((r) => r.name === a.role)?.privileges[table]?.[privilege] ?? 'none';
    widest = Math.max(widest, DEPTHS.indexOf(depth));
  }
  return DEPTHS[widest]!;
}

/** Why the principal may not become the owner of a record of the table (null: it may). */
export function ownerRefusal(org: Organization, principalId: string, table: string): string | null {
  return principalDepth(org, principalId, table, 'read') === 'none'
    ? `the new owner ${principalId} is missing prvRead on ${table}: no role of it grants read at user depth or wider`
    : null;
}
