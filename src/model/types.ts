// The normalised model: what src/compile consumes. The file format (docs/reference.md)
// is parsed and validated by schema.ts / validate.ts and turned into this by
// normalize.ts (defaults filled, `extends` flattened, names checked).

export const RIGHTS = ['read', 'write', 'delete', 'append', 'append_to', 'assign', 'share'] as const;
export type Right = (typeof RIGHTS)[number];

/** Privileges are the record rights plus `create`. */
export const PRIVILEGES = ['create', ...RIGHTS] as const;
export type Privilege = (typeof PRIVILEGES)[number];

/** Ordered from narrowest to widest; the index is the depth's rank in SQL (0..4). */
export const DEPTHS = ['none', 'user', 'business_unit', 'parent_child', 'organization'] as const;
export type Depth = (typeof DEPTHS)[number];

export const OWNERSHIPS = ['user', 'organization'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

export const SHARE_CASCADES = ['all', 'active', 'user_owned', 'none'] as const;
export type ShareCascade = (typeof SHARE_CASCADES)[number];
export const DELETE_CASCADES = ['cascade', 'remove_link', 'restrict'] as const;
export type DeleteCascade = (typeof DELETE_CASCADES)[number];

export const FIELD_PERMISSIONS = ['read', 'create', 'update'] as const;
export type FieldPermission = (typeof FIELD_PERMISSIONS)[number];

export const HIERARCHY_MODELS = ['none', 'manager', 'position'] as const;
export type HierarchyModel = (typeof HIERARCHY_MODELS)[number];

/** Columns rowscope maintains; they can never be secured. */
export const SYSTEM_COLUMNS = ['id', 'owner_id', 'owning_business_unit', 'created_by', 'created_on', 'modified_by', 'modified_on'] as const;

export const BUILTIN_MISC_PRIVILEGES = ['view_audit_history', 'delete_audit_history', 'export_to_excel'] as const;

export const SYSTEM_ADMINISTRATOR = 'system_administrator';

/**
 * rowscope's own security tables. Roles may hold privileges on them (docs/security-model.md
 * "Security data is guarded too"), so role privileges may name them although
 * they are not model tables; a model table may not take one of these names.
 */
export const BUILTIN_TABLES = ['business_unit', 'system_user', 'team', 'security_role', 'field_security_profile'] as const;
/** The api schema's security data views (sql/5xx_security_views*.sql) and audit history view (sql/240). */
export const RESERVED_API_VIEWS = [
  'business_unit', 'system_user', 'team', 'team_member', 'position', 'security_role', 'role_privilege',
  'role_misc_privilege', 'role_assignment', 'record_share', 'field_security_profile', 'field_permission',
  'field_profile_member', 'field_share', 'audit_log',
] as const;

export interface Cascade {
  assign: ShareCascade;
  share: ShareCascade;
  unshare: ShareCascade;
  reparent: ShareCascade;
  delete: DeleteCascade;
}

export interface Relationship {
  /** lookup column on this (child) table */
  column: string;
  /** the parent model table */
  references: string;
  cascade: Cascade;
}

export interface TableModel {
  name: string;
  ownership: Ownership;
  hierarchySecurity: boolean;
  /** the table's own hierarchy depth (absent: the model's hierarchy.depth) */
  hierarchyDepth?: number;
  securedColumns: string[];
  /** false: not audited; 'all': every column; string[]: only these columns */
  audit: false | 'all' | string[];
  accessTeamTemplates: Record<string, Right[]>;
  relationships: Relationship[];
  /** the api view's description (absent: none) */
  description?: string;
  /** column → description, sorted by column (absent: none) */
  columnDescriptions?: Record<string, string>;
}

export type PrivilegeDepths = Partial<Record<Privilege, Depth>>;

export interface RoleModel {
  name: string;
  extends: string[];
  /** as written in the file (own privileges only) */
  privileges: Record<string, PrivilegeDepths>;
  /** own + inherited through `extends`, widest depth wins; only depths > none */
  effectivePrivileges: Record<string, PrivilegeDepths>;
  /** own + inherited misc privileges, sorted */
  misc: string[];
}

export interface SessionDefaults {
  lockTimeout: string;
  idleInTransactionSessionTimeout: string;
  statementTimeout: string;
}

export interface Model {
  dataSchema: string;
  apiSchema: string;
  ownershipAcrossBusinessUnits: boolean;
  alwaysMoveRecordToOwnerBusinessUnit: boolean;
  shareToPreviousOwnerOnAssign: boolean;
  /** move_user keeps the user's own role assignments (default false: they go, as in Dataverse) */
  keepRolesOnBusinessUnitChange: boolean;
  hierarchy: { model: HierarchyModel; depth: number; managersMustBeInSameOrParentBusinessUnit: boolean };
  auditLogins: boolean;
  /** ALTER ROLE … IN DATABASE … SET for every user's login (sql/076_session_defaults.sql) */
  sessionDefaults: SessionDefaults;
  /** how long audit history is kept ('90 days', '1 year'; canonical form); absent: until purged explicitly */
  auditRetention?: string;
  /** extra misc privilege names declared by the model (besides the built-in ones) */
  miscPrivileges: string[];
  /** sorted by name */
  tables: TableModel[];
  /** sorted by name; never contains system_administrator (it is built in) */
  roles: RoleModel[];
  /** profile name → list of column permissions, sorted */
  fieldSecurityProfiles: { name: string; columns: { table: string; column: string; permissions: FieldPermission[] }[] }[];
}
