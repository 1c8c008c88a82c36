import type { TableModel } from '../model/types.ts';

// Access classes (DESIGN §3-4): a user's login is a member of exactly one per table.
export const USER_OWNED_CLASSES = ['org', 'bu', 'bu_shared', 'user', 'user_shared', 'none'] as const;
export const ORGANIZATION_OWNED_CLASSES = ['org', 'none'] as const;
export type AccessClass = (typeof USER_OWNED_CLASSES)[number];

export function classesOf(table: TableModel): readonly AccessClass[] {
  return table.ownership === 'user' ? USER_OWNED_CLASSES : ORGANIZATION_OWNED_CLASSES;
}

/**
 * The cluster-wide role a class's policies are created TO (sql/001_roles.sql).
 * The class roles themselves are per database, named in the database from its
 * tag (sql/050_access_classes.sql, rowscope._table_role), so the migration
 * re-binds every policy with rowscope._bind_table_roles.
 */
export function classPlaceholder(cls: AccessClass): string {
  return `rowscope_class_${cls}`;
}
