import type { Model, TableModel } from '../model/types.ts';
import { lit, sql, type Sql } from '../sql/index.ts';

// Per model table: its roles (access classes and write roles, named per
// database: sql/050_access_classes.sql), then the table itself made ready
// (existence check, system columns and indexes, owner, RLS enabled and forced).
export function compileClassRoles(table: TableModel): Sql[] {
  return [sql`select rowscope._ensure_table_roles(${lit(table.name)}, ${lit(table.ownership)})`];
}

export function compilePrepareTable(model: Model, table: TableModel): Sql {
  return sql`select rowscope._prepare_table(${lit(model.dataSchema)}, ${lit(table.name)}, ${lit(table.ownership)})`;
}

/** After the policies and the api view: policies to this database's class roles, UPDATE/DELETE to its write roles. */
export function compileBindTableRoles(model: Model, table: TableModel): Sql {
  return sql`select rowscope._bind_table_roles(${lit(model.dataSchema)}, ${lit(table.name)})`;
}

export function compileReleaseTable(model: Model, table: TableModel): Sql[] {
  return [
    sql`select rowscope._release_table_roles(${lit(model.dataSchema)}, ${lit(table.name)})`,
    sql`select rowscope._release_table(${lit(model.dataSchema)}, ${lit(table.name)}, ${lit(model.apiSchema)})`,
  ];
}
