import type { Model, TableModel } from '../model/types.ts';
import { comment, lit, sql } from '../sql/index.ts';
import { compileApiView } from './api-views.ts';
import { auditTrigger } from './audit.ts';
import { compileDescriptions } from './descriptions.ts';
import { compileReadPolicies, compileWritePolicies } from './policies.ts';
import { downs, ups, type Step } from './step.ts';
import { compileBindTableRoles, compileClassRoles, compilePrepareTable, compileReleaseTable } from './tables.ts';
import { compileAfterTrigger, compileAfterTriggerTeardown, compileGuardTrigger } from './triggers.ts';

// One model table secured and released, as steps (src/compile/step.ts): used
// by the first migration (src/compile/setup.ts) and by a model change for the
// tables it touches (src/compile/diff.ts), so both build and release a table
// the same way. Its audit trigger is a step of its own that comes later, after
// the catalog sync (tableAuditStep).
export function tableSteps(model: Model, table: TableModel): Step[] {
  return [
    {
      name: `${table.name}: class and write roles`,
      up: [comment(`${table.name} (${table.ownership}-owned)`), ...compileClassRoles(table)],
      down: [],
      keeps: 'roles are cluster-wide and named for this database (sql/600_ddl_table_roles.sql); '
        + 'they stay, holding nothing, for a later setup of the table',
    },
    {
      name: `${table.name}: secured (RLS, policies, triggers, api view, grants)`,
      up: [
        compilePrepareTable(model, table),
        ...compileReadPolicies(model, table),
        ...compileWritePolicies(model, table),
        compileGuardTrigger(model, table),
        ...compileAfterTrigger(model, table),
        compileApiView(model, table),
        ...compileDescriptions(model, table),
        compileBindTableRoles(model, table),
      ],
      // _release_table (sql/610_ddl_table.sql) drops the api view, every policy
      // and the guard triggers, disables RLS and revokes what the up granted
      down: [...compileAfterTriggerTeardown(model, table), ...compileReleaseTable(model, table)],
    },
  ];
}

/** The table's audit trigger (src/compile/audit.ts), after the catalog sync. An unaudited organization-owned table has none. */
export function tableAuditStep(model: Model, table: TableModel): Step {
  return {
    name: `${table.name}: audit trigger`,
    up: auditTrigger(model, table),
    down: [sql`select rowscope._release_audit(${lit(model.dataSchema)}, ${lit(table.name)})`],
  };
}

export function compileTableSetup(model: Model, table: TableModel) {
  return ups(tableSteps(model, table));
}

/** Undoes compileTableSetup and the table's audit trigger, keeping data and system columns. */
export function compileTableTeardown(model: Model, table: TableModel) {
  return downs([...tableSteps(model, table), tableAuditStep(model, table)]);
}
