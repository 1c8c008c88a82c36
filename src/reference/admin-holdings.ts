// What a caller holds, as the admin rules ask it (docs/security-model.md
// "Security data is guarded too"): privileges on the built-in security tables
// with a scope over an object (a user or team is "owned" by itself and lies in
// its BU; a new object lies in the BU it is created in), the widest depth of a
// privilege, misc privileges, System Administrator, and column permissions
// through profiles.
//
// Access modes (rule 1) gate these like any privilege: a disabled user holds
// nothing, a `read` user holds reads only, an `administrative` one holds the
// security tables only (the contract: "may manage security data per their
// privileges, sees no rows of business tables"). The contract does not say
// whether `administrative` also empties the depths the no-escalation rule
// compares (a business privilege of a role being assigned); the SQL
// (sql/040 _grants via _mode_allows) gates them, so this does too.
import { BUILTIN_TABLES, DEPTHS, type Depth, type FieldPermission, type Privilege } from '../model/types.ts';
import type { BusinessUnitTree } from './business-units.ts';
import { fieldReasons } from './field-security.ts';
import { SYSTEM_ADMINISTRATOR, type Organization, type User } from './organization.ts';
import { grantsOf, inScope, widestDepth, type Placement } from './role-scope.ts';

export const isBuiltinTable = (table: string): boolean => (BUILTIN_TABLES as readonly string[]).includes(table);

export const rankOf = (d: Depth): number => DEPTHS.indexOf(d);

/** Rule 1 for one privilege on one table. */
export function modeAllows(user: User, table: string, privilege: Privilege): boolean {
  if (user.disabled) return false;
  switch (user.accessMode) {
    case 'administrative':
      return isBuiltinTable(table);
    case 'read':
      return privilege === 'read';
    default:
      return true;
  }
}

/** The widest depth the user holds the privilege at (roles held directly and through owner teams). */
export function heldDepth(org: Organization, user: User, table: string, privilege: Privilege): Depth {
  if (!modeAllows(user, table, privilege)) return 'none';
  return widestDepth(grantsOf(org, user, table, privilege));
}

/**
 * Whether a grant of the privilege on a built-in table covers an object placed
 * at (owner, BU). Built-in tables have no shares and no hierarchy, so the
 * roles' scopes alone decide; an object with neither owner nor BU (a position,
 * a role) is covered by organization depth only.
 */
export function covers(org: Organization, tree: BusinessUnitTree, user: User, table: string, privilege: Privilege, at: Placement): boolean {
  if (!modeAllows(user, table, privilege)) return false;
  return grantsOf(org, user, table, privilege).some((g) => inScope(g, at, tree));
}

/**
 * System Administrator as the no-escalation rule asks it: the role held
 * directly or through an owner team, while the mode lets the user change
 * security data (sql/073 asks for the role among the grants of `write` on
 * security_role; the contract says "while enabled").
 */
export function isSystemAdministrator(org: Organization, user: User): boolean {
  return modeAllows(user, 'security_role', 'write') && grantsOf(org, user, 'security_role', 'write').some((g) => g.role === SYSTEM_ADMINISTRATOR);
}

/** docs/security-model.md "Misc privileges": held through a role of the user or of an owner team of theirs (System Administrator holds all). */
export function holdsMisc(org: Organization, user: User, name: string): boolean {
  if (user.disabled) return false;
  const holders = new Set([user.id, ...org.teams.filter((t) => t.type === 'owner' && t.members.includes(user.id)).map((t) => t.id)]);
  return org.assignments.some((a) => holders.has(a.principalId) && (a.role === SYSTEM_ADMINISTRATOR || (org.roles.find((r) => r.name === a.role)?.misc ?? []).includes(name)));
}

/**
 * A column permission on every record (profiles of the user or of any team
 * of theirs, or System Administrator): what `add_profile_member` asks the
 * caller to hold for each column permission of a profile. Field shares are
 * per record and do not count here.
 */
export function holdsColumn(org: Organization, user: User, table: string, column: string, permission: FieldPermission): boolean {
  if (user.disabled) return false;
  // System Administrator while the mode allows that kind of access (sql/310 gates it so; the contract is silent)
  const kind: Privilege = permission === 'update' ? 'write' : permission;
  return fieldReasons(org, user.id, table, column, null, permission).some((r) => r !== 'System Administrator' || modeAllows(user, table, kind));
}

/** The user's own permission on one record's secured column: holdsColumn, or a field share of that record. */
export function ownsField(org: Organization, user: User, table: string, recordId: string, column: string, permission: 'read' | 'update'): boolean {
  if (user.disabled) return false;
  return fieldReasons(org, user.id, table, column, recordId, permission).some((r) => r !== 'System Administrator' || modeAllows(user, table, permission === 'read' ? 'read' : 'write'));
}
