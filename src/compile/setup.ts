import type { Model } from '../model/types.ts';
import { comment, lit, sql } from '../sql/index.ts';
import { compileAccessTeamTeardown, compileAccessTeamTemplates } from './access-teams.ts';
import { compileCatalogSync } from './catalog.ts';
import { compileSecurityViews, compileSecurityViewsTeardown } from './security-views.ts';
import type { Step } from './step.ts';
import { tableAuditStep, tableSteps } from './table-setup.ts';

// The steps that secure a database for a model, after the core schema, in the
// order they run; each with its undo (src/compile/step.ts). The audit
// triggers, the audit view and the security views come after the catalog sync:
// they read the synced catalog.
export function setupSteps(model: Model): Step[] {
  return [
    ...model.tables.flatMap((table) => tableSteps(model, table)),
    templatesStep(model),
    catalogStep(model),
    ...model.tables.map((table) => tableAuditStep(model, table)),
    auditViewStep(model),
    ...(model.auditLogins ? [loginAuditStep()] : []),
    securityViewsStep(model),
  ];
}

export function templatesStep(model: Model): Step {
  return { name: 'access team templates', up: [compileAccessTeamTemplates(model)], down: [compileAccessTeamTeardown()] };
}

export function catalogStep(model: Model): Step {
  return {
    name: 'catalog',
    up: [comment("catalog: settings, tables, roles and privileges; re-derives every user's access classes"), compileCatalogSync(model)],
    down: [],
    // syncing an empty role list would delete every role assignment
    keeps: 'the catalog is data: the setup that follows (or the core teardown) owns it',
  };
}

/** <api schema>.audit_log (sql/640_ddl_audit.sql); the log itself is history and stays. */
export function auditViewStep(model: Model): Step {
  return {
    name: 'audit view',
    up: [sql`select rowscope._build_audit_view(${lit(model.apiSchema)})`],
    down: [sql`select rowscope._release_audit_view(${lit(model.apiSchema)})`],
  };
}

/** The login event trigger (sql/640_ddl_audit.sql), for a model with auditLogins. */
export function loginAuditStep(): Step {
  return { name: 'login audit', up: [sql`select rowscope._enable_login_audit()`], down: [sql`select rowscope._disable_login_audit()`] };
}

export function securityViewsStep(model: Model): Step {
  return { name: 'security views', up: compileSecurityViews(model), down: compileSecurityViewsTeardown(model) };
}
