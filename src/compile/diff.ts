import type { Model, TableModel } from '../model/types.ts';
import { comment, lit, sql, type Sql } from '../sql/index.ts';
import { catalogOf } from './catalog.ts';
import { compileDescriptionChange } from './descriptions.ts';
import { auditViewStep, loginAuditStep, securityViewsStep, templatesStep } from './setup.ts';
import { compileTableSetup, compileTableTeardown, tableAuditStep } from './table-setup.ts';
import { compileAfterTrigger, compileAfterTriggerTeardown, lookupColumns } from './triggers.ts';

// A model change as only what changed (a migration someone can review): per
// table, its policies, triggers and api view are rebuilt only when the table's
// part of the model that they are made from changed; its audit trigger alone
// when only its audit changed; the catalog (settings, tables' entries, roles,
// profiles) through rowscope._sync_model (sql/630_ddl_model_sync.sql) as a partial
// jsonb of just the changed and dropped ones. Everything but the catalog is
// the up or the down of a setup step (src/compile/step.ts), so a change builds
// and releases things exactly as a first migration and its Down do. The Down
// of a change is the change back.

// Table options that live only in the catalog: changing them rebuilds nothing.
const CATALOG_ONLY: ReadonlySet<string> = new Set(['hierarchySecurity', 'relationships', 'accessTeamTemplates', 'audit']);
// Comments on the api view (src/compile/descriptions.ts): neither rebuilt nor in the catalog.
const DESCRIPTIONS: ReadonlySet<string> = new Set(['description', 'columnDescriptions']);

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What the table's policies, triggers and api view are made from (every option not known to be catalog-only). */
function structure(table: TableModel): Record<string, unknown> {
  return Object.fromEntries(Object.entries(table).filter(([k]) => !CATALOG_ONLY.has(k) && !DESCRIPTIONS.has(k)));
}

function byName<T extends { name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.name, i]));
}

function changedByName<T extends { name: string }>(from: readonly T[], to: readonly T[], project: (x: T) => unknown = (x) => x) {
  const before = byName(from);
  const after = byName(to);
  return {
    upserted: to.filter((x) => !before.has(x.name) || !same(project(before.get(x.name)!), project(x))),
    dropped: from.filter((x) => !after.has(x.name)).map((x) => x.name),
  };
}

/** The statements that move a database secured for `from` to `to` (the same core). */
export function compileChange(from: Model, to: Model): Sql[] {
  const moved = from.dataSchema !== to.dataSchema || from.apiSchema !== to.apiSchema;
  const before = byName(from.tables);
  const after = byName(to.tables);
  // rebuilt: gone, new, or made from something that changed
  const rebuilt = (t: TableModel, other: Map<string, TableModel>) =>
    moved || !other.has(t.name) || !same(structure(other.get(t.name)!), structure(t));
  const torn = from.tables.filter((t) => rebuilt(t, after));
  const built = to.tables.filter((t) => rebuilt(t, before));
  const reaudited = to.tables.filter((t) => !built.includes(t) && !same(before.get(t.name)!.audit, t.audit));
  const tableSetChanged = moved || !same([...before.keys()], [...after.keys()]);

  const out: Sql[] = [];
  if (tableSetChanged) {
    // they read the catalog's table list; rebuilt after the sync
    out.push(...securityViewsStep(from).down, ...auditViewStep(from).down);
  }
  for (const t of torn) out.push(...compileTableTeardown(from, t));
  for (const t of reaudited) out.push(...tableAuditStep(from, t).down);
  for (const t of built) out.push(...compileTableSetup(to, t));
  // relationships are catalog-only, but the after triggers' WHEN clauses name
  // the lookup columns (src/compile/triggers.ts): those two are made again
  for (const t of to.tables) {
    if (built.includes(t) || same(lookupColumns(before.get(t.name)!), lookupColumns(t))) continue;
    out.push(...compileAfterTriggerTeardown(from, before.get(t.name)!), ...compileAfterTrigger(to, t));
  }
  // a kept view keeps its comments: set or clear only the changed ones
  for (const t of to.tables) if (!built.includes(t)) out.push(...compileDescriptionChange(to, before.get(t.name)!, t));

  const templates = (m: Model) => m.tables.map((t) => [t.name, t.accessTeamTemplates]);
  if (!same(templates(from), templates(to))) out.push(...templatesStep(to).up);

  const a = catalogOf(from);
  const b = catalogOf(to);
  const tables = changedByName(a.tables, b.tables);
  const roles = changedByName(a.roles, b.roles);
  const profiles = changedByName(a.fieldSecurityProfiles, b.fieldSecurityProfiles);
  const changes = {
    ...(same(a.settings, b.settings) ? {} : { settings: b.settings }),
    ...(tables.upserted.length ? { tables: tables.upserted } : {}),
    ...(tables.dropped.length ? { dropTables: tables.dropped } : {}),
    ...(roles.upserted.length ? { roles: roles.upserted } : {}),
    ...(roles.dropped.length ? { dropRoles: roles.dropped } : {}),
    ...(profiles.upserted.length ? { fieldSecurityProfiles: profiles.upserted } : {}),
    ...(profiles.dropped.length ? { dropFieldSecurityProfiles: profiles.dropped } : {}),
  };
  if (Object.keys(changes).length > 0) {
    out.push(comment("catalog changes only; re-derives every user's access classes"));
    out.push(sql`select rowscope._sync_model(${lit({ json: { partial: true, ...changes } })})`);
  }

  for (const t of [...built, ...reaudited]) out.push(...tableAuditStep(to, t).up);
  if (tableSetChanged) out.push(...auditViewStep(to).up, ...securityViewsStep(to).up);
  if (from.auditLogins !== to.auditLogins) out.push(...(to.auditLogins ? loginAuditStep().up : loginAuditStep().down));
  return out;
}
