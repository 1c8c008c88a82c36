import type { Model } from '../model/types.ts';
import { comment, lit, sql, type Sql } from '../sql/index.ts';
import { compileCatalogSync } from './catalog.ts';
import { compileReleaseTable } from './tables.ts';
import { compileAfterTriggerTeardown } from './triggers.ts';
import { compileTableSetup } from './table-setup.ts';
import { compileAccessTeamTeardown, compileAccessTeamTemplates } from './access-teams.ts';
import { compileAudit, compileAuditTeardown } from './audit.ts';
import { compileSecurityViews, compileSecurityViewsTeardown } from './security-views.ts';

export { catalogOf } from './catalog.ts';
export { compileChange } from './diff.ts';
export { classPlaceholder, classesOf } from './names.ts';

/** The statements that secure a database for the model (after the core schema). */
export function compileSetup(model: Model): Sql[] {
  const out: Sql[] = [];
  for (const table of model.tables) out.push(...compileTableSetup(model, table));
  out.push(compileAccessTeamTemplates(model));
  out.push(comment("catalog: settings, tables, roles and privileges; re-derives every user's access classes"));
  out.push(compileCatalogSync(model));
  out.push(...compileAudit(model)); // after the sync: the audit view reads the synced catalog
  out.push(...compileSecurityViews(model));
  return out;
}

/** The statements that undo compileSetup, keeping data and system columns. */
export function compileTeardown(model: Model): Sql[] {
  return [
    ...compileSecurityViewsTeardown(model),
    ...compileAuditTeardown(model),
    ...model.tables.flatMap((table) => [...compileAfterTriggerTeardown(model, table), ...compileReleaseTable(model, table)]),
    compileAccessTeamTeardown(),
    // no catalog sync here: the setup that follows (or the core teardown) owns the
    // catalog; syncing an empty role list would delete every role assignment
  ];
}
