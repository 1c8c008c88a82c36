import type { Model, TableModel } from '../model/types.ts';
import { lit, sql, type Sql } from '../sql/index.ts';
import { classRoles } from './names.ts';

// Per model table: its access-class roles, then the table itself made ready
// (existence check, system columns and indexes, owner, RLS enabled and forced).
export function compileClassRoles(table: TableModel): Sql[] {
  return Object.values(classRoles(table)).map((role) => sql`select rowscope._ensure_role(${lit(role)})`);
}

export function compilePrepareTable(model: Model, table: TableModel): Sql {
  return sql`select rowscope._prepare_table(${lit(model.dataSchema)}, ${lit(table.name)}, ${lit(table.ownership)})`;
}

export function compileReleaseTable(model: Model, table: TableModel): Sql {
  return sql`select rowscope._release_table(${lit(model.dataSchema)}, ${lit(table.name)}, ${lit(model.apiSchema)})`;
}
