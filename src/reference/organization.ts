// The input of the reference evaluator: one organization's security data as
// plain values (SPEC §1), independent of how the database stores it. Ids are
// opaque strings; tests use readable ones ('sales', 'alice', 'acc1').
import type { Depth, Model, Ownership, Privilege, Right } from '../model/types.ts';
import { SYSTEM_ADMINISTRATOR } from '../model/types.ts';

export const ACCESS_MODES = ['read_write', 'administrative', 'read', 'non_interactive'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];

export const INHERITANCES = ['team_only', 'direct_user_and_team'] as const;
export type Inheritance = (typeof INHERITANCES)[number];

export interface BusinessUnit {
  id: string;
  /** null for the root */
  parentId: string | null;
}

export interface User {
  id: string;
  businessUnitId: string;
  accessMode: AccessMode;
  disabled: boolean;
  /** for rule 4 (hierarchy), not evaluated yet */
  managerId?: string | null;
}

export interface Team {
  id: string;
  businessUnitId: string;
  type: 'owner' | 'access';
  members: string[];
}

export interface Role {
  name: string;
  /** effective privileges (after `extends`): table → privilege → depth */
  privileges: Record<string, Partial<Record<Privilege, Depth>>>;
  misc?: string[];
}

export interface RoleAssignment {
  /** a user or an owner team (access teams hold no roles) */
  principalId: string;
  role: string;
  /** null: the principal's own business unit */
  businessUnitId: string | null;
  /** only meaningful for owner teams */
  inheritance: Inheritance;
}

export interface RecordRow {
  id: string;
  /** null on organization-owned tables */
  ownerId: string | null;
  owningBusinessUnitId: string | null;
}

export interface Share {
  table: string;
  recordId: string;
  principalId: string;
  rights: Right[];
}

export interface Organization {
  tables: Record<string, { ownership: Ownership }>;
  businessUnits: BusinessUnit[];
  users: User[];
  teams: Team[];
  /** the model's roles; system_administrator is built in and need not be listed */
  roles: Role[];
  assignments: RoleAssignment[];
  /** table → its records */
  records: Record<string, RecordRow[]>;
  shares: Share[];
}

export { SYSTEM_ADMINISTRATOR };

/** The model's tables and roles as the evaluator takes them (runtime data left empty). */
export function organizationFromModel(model: Model): Organization {
  return {
    tables: Object.fromEntries(model.tables.map((t) => [t.name, { ownership: t.ownership }])),
    businessUnits: [],
    users: [],
    teams: [],
    roles: model.roles.map((r) => ({ name: r.name, privileges: r.effectivePrivileges, misc: r.misc })),
    assignments: [],
    records: Object.fromEntries(model.tables.map((t) => [t.name, []])),
    shares: [],
  };
}
