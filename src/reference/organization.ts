// The input of the reference evaluator: one organization's security data as
// plain values (docs/security-model.md), independent of how the database stores it. Ids are
// opaque strings; tests use readable ones ('sales', 'alice', 'acc1').
import type { Depth, FieldPermission, HierarchyModel, Model, Ownership, Privilege, Right, ShareCascade } from '../model/types.ts';
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
  /** rule 4, manager model: the user's manager (null or absent: none) */
  managerId?: string | null;
  /** rule 4, position model: the user's position (null or absent: none) */
  positionId?: string | null;
}

/** A node of the position tree (rule 4, position model). */
export interface Position {
  id: string;
  parentId: string | null;
}

/** The model's `hierarchy` option (docs/reference.md; defaults in docs/security-model.md rule 4). */
export interface HierarchySettings {
  model: HierarchyModel;
  depth: number;
  managersMustBeInSameOrParentBusinessUnit: boolean;
}

export interface TableSettings {
  ownership: Ownership;
  /** rule 4 applies only to tables with hierarchySecurity (default false) */
  hierarchySecurity?: boolean;
  /** the table's own hierarchy depth (model option tables.<t>.hierarchyDepth); absent: the hierarchy's */
  hierarchyDepth?: number;
  /** field security: the table's secured columns */
  securedColumns?: string[];
  /** lookups to parent tables (docs/security-model.md Reparent: the parent's owner reads the child unless reparent is none) */
  relationships?: ReferenceRelationship[];
}

export interface ReferenceRelationship {
  /** the lookup column on the child table */
  column: string;
  /** the parent table */
  references: string;
  reparent: ShareCascade;
  /** which children a share of the parent reaches (absent: the model's default, all) */
  share?: ShareCascade;
  /** which children a removed share of the parent leaves (absent: all) */
  unshare?: ShareCascade;
}

/** A field security profile: which permissions it grants on which columns. */
export interface FieldProfile {
  name: string;
  columns: { table: string; column: string; permissions: FieldPermission[] }[];
}

/** A user or team (owner or access) holding a profile. */
export interface ProfileMember {
  profile: string;
  principalId: string;
}

/** One secured column of one record shared with a user or team. */
export interface FieldShare {
  table: string;
  recordId: string;
  column: string;
  principalId: string;
  canRead: boolean;
  canUpdate: boolean;
}

export interface Team {
  id: string;
  businessUnitId: string;
  type: 'owner' | 'access';
  members: string[];
  /** the BU's default team (an owner team): its members are exactly the BU's users */
  isDefault?: boolean;
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
  /** lookup column -> the parent record's id (null or absent: no parent) */
  parents?: Record<string, string | null>;
}

export interface Share {
  table: string;
  recordId: string;
  principalId: string;
  rights: Right[];
  /** a share a child holds because its parent is shared (docs/security-model.md Share, Reparent); absent: a direct share */
  inheritedFrom?: { table: string; recordId: string };
  /** who made the share (absent or null: the deployment administrator, or not known) */
  sharedBy?: string | null;
}

export interface Organization {
  tables: Record<string, TableSettings>;
  businessUnits: BusinessUnit[];
  users: User[];
  teams: Team[];
  /** the model's roles; system_administrator is built in and need not be listed */
  roles: Role[];
  assignments: RoleAssignment[];
  /** table → its records */
  records: Record<string, RecordRow[]>;
  shares: Share[];
  /**
   * The model option (docs/security-model.md). Informational: the evaluator follows the data
   * (assignments' BUs, records' owning BUs), which without the option always
   * hold the principal's and the owner's BU.
   */
  ownershipAcrossBusinessUnits?: boolean;
  /** the model option: move_user keeps the user's own role assignments (default false) */
  keepRolesOnBusinessUnitChange?: boolean;
  /** absent: no hierarchy (model `none`) */
  hierarchy?: HierarchySettings;
  positions?: Position[];
  fieldProfiles?: FieldProfile[];
  profileMembers?: ProfileMember[];
  fieldShares?: FieldShare[];
}

export { SYSTEM_ADMINISTRATOR };

/** The model's tables and roles as the evaluator takes them (runtime data left empty). */
export function organizationFromModel(model: Model): Organization {
  return {
    tables: Object.fromEntries(model.tables.map((t) => [t.name, {
      ownership: t.ownership,
      hierarchySecurity: t.hierarchySecurity,
      hierarchyDepth: t.hierarchyDepth,
      securedColumns: t.securedColumns,
      relationships: t.relationships.map((r) => ({
        column: r.column, references: r.references, reparent: r.cascade.reparent, share: r.cascade.share, unshare: r.cascade.unshare,
      })),
    }])),
    businessUnits: [],
    users: [],
    teams: [],
    roles: model.roles.map((r) => ({ name: r.name, privileges: r.effectivePrivileges, misc: r.misc })),
    assignments: [],
    records: Object.fromEntries(model.tables.map((t) => [t.name, []])),
    shares: [],
    ownershipAcrossBusinessUnits: model.ownershipAcrossBusinessUnits,
    keepRolesOnBusinessUnitChange: model.keepRolesOnBusinessUnitChange,
    hierarchy: model.hierarchy,
    positions: [],
    fieldProfiles: model.fieldSecurityProfiles,
    profileMembers: [],
    fieldShares: [],
  };
}
