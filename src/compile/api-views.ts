import type { Model, TableModel } from '../model/types.ts';
import { lit, sql, type Sql } from '../sql/index.ts';

// api.<table> is built in the database (sql/620_ddl_api_view.sql, rowscope._build_api_view) because its
// column list is the live table's, which the model does not describe.
export function compileApiView(model: Model, table: TableModel): Sql {
  return sql`select rowscope._build_api_view(${lit(model.dataSchema)}, ${lit(table.name)}, ${lit(model.apiSchema)}, ${lit(table.securedColumns)}::text[])`;
}
