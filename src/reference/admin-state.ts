// The reference organization of the admin rules (docs/security-model.md
// "Security data is guarded too" with its no-indirect-escalation row, "Share",
// "Access teams", the admin functions): the evaluator's Organization plus what the admin functions act
// on beyond it — which records a relationship cascades shares and assigns
// from, the access team templates, and which teams are a record's access team.
import type { Right } from '../model/types.ts';
import type { AccessMode, Inheritance, Organization, Share } from './organization.ts';

/** A child record under a parent whose shares and assigns cascade to it (cascade `all`). */
export interface CascadeLink {
  table: string;
  recordId: string;
  parentTable: string;
  parentId: string;
}

/** A record's access team for one template (`add_access_team_member` makes it). */
export interface RecordTeam {
  teamId: string;
  table: string;
  recordId: string;
  template: string;
}

/** A share row; a cascaded one remembers the parent record it came from. */
export type AdminShare = Share & { inheritedFrom?: { table: string; recordId: string } };

export interface AdminOrganization extends Organization {
  shares: AdminShare[];
  links: CascadeLink[];
  /** table → template → rights */
  accessTemplates: Record<string, Record<string, Right[]>>;
  recordTeams: RecordTeam[];
}

/** One call of an admin function of the contract, with symbolic ids; `newId` names what it creates. */
export type AdminCall =
  | { fn: 'create_business_unit'; newId: string; parentId: string }
  | { fn: 'create_user'; newId: string; businessUnitId: string; managerId: string | null; accessMode: AccessMode }
  | { fn: 'set_manager'; userId: string; managerId: string | null }
  | { fn: 'move_user'; userId: string; businessUnitId: string }
  | { fn: 'set_access_mode'; userId: string; accessMode: AccessMode }
  | { fn: 'disable_user' | 'enable_user'; userId: string }
  | { fn: 'create_team'; newId: string; businessUnitId: string; teamType: 'owner' | 'access' }
  | { fn: 'add_team_member' | 'remove_team_member'; teamId: string; userId: string }
  | { fn: 'assign_role'; principalId: string; role: string; inheritance: Inheritance; businessUnitId?: string | null }
  | { fn: 'remove_role'; principalId: string; role: string }
  | { fn: 'create_position'; newId: string; parentId: string | null }
  | { fn: 'set_position'; userId: string; positionId: string | null }
  | { fn: 'grant_access' | 'modify_access'; table: string; recordId: string; principalId: string; rights: Right[] }
  | { fn: 'revoke_access'; table: string; recordId: string; principalId: string }
  | { fn: 'assign'; table: string; recordId: string; newOwnerId: string }
  | { fn: 'add_access_team_member' | 'remove_access_team_member'; table: string; recordId: string; template: string; userId: string }
  | { fn: 'add_profile_member' | 'remove_profile_member'; profile: string; principalId: string }
  | { fn: 'share_field'; table: string; recordId: string; column: string; principalId: string; canRead: boolean; canUpdate: boolean };

export type AdminFunction = AdminCall['fn'];

export const ADMIN_FUNCTIONS: readonly AdminFunction[] = [
  'create_business_unit', 'create_user', 'set_manager', 'move_user', 'set_access_mode', 'disable_user', 'enable_user',
  'create_team', 'add_team_member', 'remove_team_member', 'assign_role', 'remove_role', 'create_position', 'set_position',
  'grant_access', 'modify_access', 'revoke_access', 'assign', 'add_access_team_member', 'remove_access_team_member',
  'add_profile_member', 'remove_profile_member', 'share_field',
];

export type AdminSqlState = '42501' | '22023';

/**
 * What the reference expects of a call: allowed, refused (any of `codes`: the
 * contract fixes which checks apply, rarely their order), or `either` where the
 * contract and today's SQL leave the decision open (the state after it is still
 * held to the no-escalation rule).
 */
export type AdminOutcome =
  | { kind: 'allowed' }
  | { kind: 'refused'; codes: AdminSqlState[]; why: string[] }
  | { kind: 'either'; why: string[] };

/** A readable one-line form of a call, for failure messages. */
export function describeCall(call: AdminCall): string {
  const { fn, ...args } = call;
  return `${fn}(${Object.entries(args).map(([k, v]) => `${k}=${Array.isArray(v) ? `{${v.join(',')}}` : String(v)}`).join(', ')})`;
}
