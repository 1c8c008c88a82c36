// The security data views (sql/5xx_security_views*.sql) and the audit history
// (sql/240) in GraphQL: read-only connections (allSystemUsers,
// allBusinessUnits, ...) with their keys and relations given by smart tags, as
// PostGraphile names them (systemUserByManagerId, teamMembersByTeamId, ...).
// The views carry no constraints of their own. A relation to a row the reader
// may not see comes back null, as the view filters it.
// docs/graphql-admin-schema.md lists what this yields.

/** A security view's key and relations; `references` targets are views of the same api schema. */
export interface SecurityViewShape {
  name: string;
  primaryKey?: string[];
  unique?: string[][];
  foreignKeys: Array<{ columns: string[]; references: string; referencedColumns: string[] }>;
}

const fk = (columns: string[], references: string, referencedColumns = ['id']) => ({ columns, references, referencedColumns });

export const SECURITY_VIEWS: readonly SecurityViewShape[] = [
  { name: 'business_unit', primaryKey: ['id'], unique: [['name']], foreignKeys: [fk(['parent_id'], 'business_unit')] },
  {
    name: 'system_user', primaryKey: ['id'], unique: [['db_role']],
    foreignKeys: [fk(['business_unit_id'], 'business_unit'), fk(['manager_id'], 'system_user'), fk(['position_id'], 'position')],
  },
  { name: 'position', primaryKey: ['id'], unique: [['name']], foreignKeys: [fk(['parent_id'], 'position')] },
  { name: 'team', primaryKey: ['id'], foreignKeys: [fk(['business_unit_id'], 'business_unit')] },
  { name: 'team_member', primaryKey: ['team_id', 'user_id'], foreignKeys: [fk(['team_id'], 'team'), fk(['user_id'], 'system_user')] },
  { name: 'security_role', primaryKey: ['id'], unique: [['name']], foreignKeys: [] },
  { name: 'role_privilege', primaryKey: ['role_name', 'table_name', 'privilege'], foreignKeys: [fk(['role_name'], 'security_role', ['name'])] },
  { name: 'role_misc_privilege', primaryKey: ['role_name', 'name'], foreignKeys: [fk(['role_name'], 'security_role', ['name'])] },
  {
    // principal_id is a user or a team: one relation to each, the other is null
    name: 'role_assignment',
    foreignKeys: [fk(['principal_id'], 'system_user'), fk(['principal_id'], 'team'), fk(['role_name'], 'security_role', ['name']), fk(['business_unit_id'], 'business_unit')],
  },
  {
    name: 'record_share',
    foreignKeys: [fk(['principal_id'], 'system_user'), fk(['principal_id'], 'team'), fk(['shared_by'], 'system_user')],
  },
  {
    name: 'field_share', primaryKey: ['table_name', 'record_id', 'column_name', 'principal_id'],
    foreignKeys: [fk(['principal_id'], 'system_user'), fk(['principal_id'], 'team')],
  },
  { name: 'field_security_profile', primaryKey: ['name'], foreignKeys: [] },
  { name: 'field_permission', primaryKey: ['profile', 'table_name', 'column_name'], foreignKeys: [fk(['profile'], 'field_security_profile', ['name'])] },
  {
    name: 'field_profile_member', primaryKey: ['profile', 'principal_id'],
    foreignKeys: [fk(['profile'], 'field_security_profile', ['name']), fk(['principal_id'], 'system_user'), fk(['principal_id'], 'team')],
  },
  { name: 'audit_log', primaryKey: ['id'], foreignKeys: [fk(['user_id'], 'system_user')] },
];

export const SECURITY_VIEW_NAMES: readonly string[] = SECURITY_VIEWS.map((v) => v.name);
