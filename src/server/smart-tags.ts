// Smart tags built from the catalog at start. The api views carry no
// constraints, so PostGraphile learns their keys and relations from tags:
// `@primaryKey id` on every view (update/delete mutations, node ids) and one
// `@foreignKey (column) references api.table (id)` per model relationship
// (e.g. account.contactsByAccountId). Everything else in the exposed schemas —
// the rowscope catalog tables, internal helpers, stray objects in the api
// schema — gets `@behavior -*` so it never reaches the GraphQL schema.
import type { PgAttribute } from 'postgraphile/graphile-build-pg/pg-introspection';
import { pgSmartTags, type PgSmartTagRule } from 'postgraphile/utils';
import type { ServerCatalog } from './catalog.ts';
import { SECURITY_VIEWS } from './security-views.ts';

const STAMPS = new Set(['created_by', 'created_on', 'modified_by', 'modified_on']);

export function smartTagsPlugin(catalog: ServerCatalog): GraphileConfig.Plugin {
  return pgSmartTags(smartTagRules(catalog), null, { name: 'RowscopeSmartTagsPlugin', description: 'rowscope: keys, relations and exposure of the api views' });
}

export function smartTagRules(catalog: ServerCatalog): PgSmartTagRule[] {
  const key = (schema: string, name: string) => `${schema}.${name}`;
  const views = new Set([...catalog.views, ...catalog.securityViews].map((v) => key(v.schema, v.table)));
  const functions = new Set(catalog.functions);
  const schemas = new Set([...catalog.views.map((v) => v.schema), 'rowscope']);
  const rules: PgSmartTagRule[] = [];

  for (const view of catalog.views) {
    const foreignKeys = catalog.relationships
      .filter((r) => r.table === view.table && views.has(key(r.referencesSchema, r.referencesTable)))
      .map((r) => `(${quoteIdent(r.column)}) references ${quoteIdent(r.referencesSchema)}.${quoteIdent(r.referencesTable)} (id)`);
    rules.push({
      kind: 'class',
      match: (c) => c.relname === view.table && c.getNamespace()?.nspname === view.schema,
      tags: { primaryKey: 'id', ...(foreignKeys.length ? { foreignKey: foreignKeys } : {}) },
    });
    const inView = (a: PgAttribute) => a.getClass()?.relname === view.table && a.getClass()?.getNamespace()?.nspname === view.schema;
    // A view column has no default of its own, but an insert through an
    // auto-updatable view gets the table's (gen_random_uuid()): id is optional.
    rules.push({ kind: 'attribute', match: (a) => a.attname === 'id' && inView(a), tags: { hasDefault: true } });
    // The guard trigger sets these on every write whatever is sent: not inputs.
    rules.push({ kind: 'attribute', match: (a) => STAMPS.has(a.attname) && inView(a), tags: { behavior: '-insert -update' } });
  }
  rules.push(...securityViewRules(catalog, views));
  rules.push({
    kind: 'class',
    match: (c) => {
      const schema = c.getNamespace()?.nspname;
      return schema !== undefined && schemas.has(schema) && !views.has(key(schema, c.relname));
    },
    tags: { behavior: '-*' },
  });
  rules.push({
    kind: 'procedure',
    match: (p) => {
      const schema = p.getNamespace()?.nspname;
      return schema !== undefined && schemas.has(schema) && !(schema === 'rowscope' && functions.has(p.proname));
    },
    tags: { behavior: '-*' },
  });
  return rules;
}

/**
 * The security data views: read-only connections with their keys and relations
 * (src/server/security-views.ts). A relation is tagged only when its target
 * view exists in the same api schema.
 */
function securityViewRules(catalog: ServerCatalog, views: Set<string>): PgSmartTagRule[] {
  return catalog.securityViews.flatMap((view) => {
    const shape = SECURITY_VIEWS.find((s) => s.name === view.table);
    if (!shape) return [];
    const cols = (c: string[], sep = ', ') => c.map(quoteIdent).join(sep);
    const foreignKeys = shape.foreignKeys
      .filter((f) => views.has(`${view.schema}.${f.references}`))
      .map((f) => `(${cols(f.columns)}) references ${quoteIdent(view.schema)}.${quoteIdent(f.references)} (${cols(f.referencedColumns)})`);
    return [{
      kind: 'class' as const,
      match: (c: { relname: string; getNamespace(): { nspname: string } | undefined }) => c.relname === view.table && c.getNamespace()?.nspname === view.schema,
      tags: {
        ...(shape.primaryKey ? { primaryKey: cols(shape.primaryKey, ',') } : {}),
        ...(shape.unique?.length ? { unique: shape.unique.map((u) => cols(u, ',')) } : {}),
        ...(foreignKeys.length ? { foreignKey: foreignKeys } : {}),
        // changes go through the admin functions (mutations of their own)
        behavior: '-insert -update -delete',
      },
    }];
  });
}

/** Identifiers as the @foreignKey parser expects them (quoted only when needed). */
function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
