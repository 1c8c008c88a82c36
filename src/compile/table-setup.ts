import type { Model, TableModel } from '../model/types.ts';
import { comment, lit, sql, type Sql } from '../sql/index.ts';
import { compileApiView } from './api-views.ts';
import { compileDescriptions } from './descriptions.ts';
import { compileReadPolicies, compileWritePolicies } from './policies.ts';
import { compileBindTableRoles, compileClassRoles, compilePrepareTable, compileReleaseTable } from './tables.ts';
import { compileAfterTrigger, compileAfterTriggerTeardown, compileGuardTrigger } from './triggers.ts';

// One model table secured and released: used by the first migration
// (src/compile/index.ts) and by a model change for the tables it touches
// (src/compile/diff.ts), so both build a table the same way. Its audit trigger
// comes later, after the catalog sync (src/compile/audit.ts).
export function compileTableSetup(model: Model, table: TableModel): Sql[] {
  return [
    comment(`${table.name} (${table.ownership}-owned)`),
    ...compileClassRoles(table),
    compilePrepareTable(model, table),
    ...compileReadPolicies(model, table),
    ...compileWritePolicies(model, table),
    compileGuardTrigger(model, table),
    ...compileAfterTrigger(model, table),
    compileApiView(model, table),
    ...compileDescriptions(model, table),
    compileBindTableRoles(model, table),
  ];
}

/** Undoes compileTableSetup and the table's audit trigger, keeping data and system columns. */
export function compileTableTeardown(model: Model, table: TableModel): Sql[] {
  return [
    sql`select rowscope._release_audit(${lit(model.dataSchema)}, ${lit(table.name)})`,
    ...compileAfterTriggerTeardown(model, table),
    ...compileReleaseTable(model, table),
  ];
}
