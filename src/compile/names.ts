import { readFileSync } from 'node:fs';
import type { TableModel } from '../model/types.ts';

// Access classes (docs/architecture.md): a user's login is a member of exactly one per table.
// Their names have one home, rowscope._classes_of in sql/050_access_classes.sql:
// the migration creates each table's class roles from it and the class refresh
// puts users in them. The compiler reads the same list from that file, so the
// policies it writes name exactly the classes the database has.
const CLASSES_SQL = new URL('../../sql/050_access_classes.sql', import.meta.url);

export type AccessClass = string;

/** The two arrays of rowscope._classes_of: [user-owned tables', organization-owned tables']. */
function classesFromSql(text: string): [readonly AccessClass[], readonly AccessClass[]] {
  const body = /create function rowscope\._classes_of\(p_ownership text\)[^$]*\$\$([\s\S]*?)\$\$/.exec(text)?.[1];
  const arrays = [...(body ?? '').matchAll(/array\[([^\]]*)\]/g)].map((m) =>
    Object.freeze(m[1].split(',').map((item) => /^\s*'([a-z_]+)'\s*$/.exec(item)?.[1] ?? '')));
  if (arrays.length !== 2 || arrays.some((a) => a.length === 0 || a.includes(''))) {
    throw new Error(`${CLASSES_SQL.pathname}: rowscope._classes_of must be \`case when p_ownership = 'user' then array[...] else array[...] end\` of plain class names`);
  }
  return [arrays[0], arrays[1]];
}

export const [USER_OWNED_CLASSES, ORGANIZATION_OWNED_CLASSES] = classesFromSql(readFileSync(CLASSES_SQL, 'utf8'));

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
