// The model's descriptions (src/model/description.ts) as COMMENTs on the api
// view and its columns, where PostGraphile finds them for the GraphQL schema.
// rowscope._build_api_view (sql/620_ddl_api_view.sql) drops and recreates
// the view, so a table whose view is rebuilt gets every comment again
// (compileTableSetup); a change of descriptions alone sets or clears just the
// ones that changed (compileDescriptionChange, used by src/compile/diff.ts).
import type { Model, TableModel } from '../model/types.ts';
import { ident, lit, sql, type Sql } from '../sql/index.ts';

function viewComment(model: Model, table: string, text: string | undefined): Sql {
  return sql`comment on view ${ident(model.apiSchema, table)} is ${lit(text ?? null)}`;
}

function columnComment(model: Model, table: string, column: string, text: string | undefined): Sql {
  return sql`comment on column ${ident(model.apiSchema, table, column)} is ${lit(text ?? null)}`;
}

/** Every description of the table, for a freshly built api view. */
export function compileDescriptions(model: Model, table: TableModel): Sql[] {
  return [
    ...(table.description === undefined ? [] : [viewComment(model, table.name, table.description)]),
    ...Object.entries(table.columnDescriptions ?? {}).map(([column, text]) => columnComment(model, table.name, column, text)),
  ];
}

/** Only the descriptions that differ between two versions of a table whose view is kept (a removed one is set to NULL). */
export function compileDescriptionChange(model: Model, from: TableModel, to: TableModel): Sql[] {
  const out: Sql[] = [];
  if (from.description !== to.description) out.push(viewComment(model, to.name, to.description));
  const before = from.columnDescriptions ?? {};
  const after = to.columnDescriptions ?? {};
  const columns = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const column of columns) {
    if (before[column] !== after[column]) out.push(columnComment(model, to.name, column, after[column]));
  }
  return out;
}
