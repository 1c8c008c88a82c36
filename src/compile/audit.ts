import type { Model, TableModel } from '../model/types.ts';
import { ident, join, lit, sql, type Sql } from '../sql/index.ts';

// Audit (SPEC §2): one AFTER row trigger per model table feeding
// rowscope._tg_audit (sql/210_audit_triggers.sql), the api.audit_log view and,
// with auditLogins, the login event trigger. An unaudited user-owned table still
// gets a trigger for assigns only: an assign is a security change, audited like
// shares and role assignments whatever the table's own audit setting.
export function auditTrigger(model: Model, table: TableModel): Sql[] {
  const rel = ident(model.dataSchema, table.name);
  const name = lit(table.name);
  const fn = ident('rowscope', '_tg_audit');
  if (table.audit === 'all') {
    return [sql`create trigger rowscope_audit after insert or update or delete on ${rel}
  for each row execute function ${fn}(${name}, 'all')`];
  }
  if (Array.isArray(table.audit)) {
    const columns = table.audit.map((c) => lit(c));
    return [
      sql`select rowscope._check_audit_columns(${lit(model.dataSchema)}, ${name}, ${lit(table.audit)}::text[])`,
      sql`create trigger rowscope_audit after insert or update or delete on ${rel}
  for each row execute function ${fn}(${name}, 'columns', ${join(columns)})`,
    ];
  }
  if (table.ownership === 'user') {
    return [sql`create trigger rowscope_audit after update of owner_id on ${rel}
  for each row when (old.owner_id is distinct from new.owner_id) execute function ${fn}(${name}, 'assign')`];
  }
  return [];
}

/** After the catalog sync: the triggers, the history view, login auditing. */
export function compileAudit(model: Model): Sql[] {
  return [
    ...model.tables.flatMap((table) => auditTrigger(model, table)),
    sql`select rowscope._build_audit_view(${lit(model.apiSchema)})`,
    ...(model.auditLogins ? [sql`select rowscope._enable_login_audit()`] : []),
  ];
}

/** Undoes compileAudit (the log itself is history and stays). */
export function compileAuditTeardown(model: Model): Sql[] {
  return [
    ...model.tables.map((table) => sql`select rowscope._release_audit(${lit(model.dataSchema)}, ${lit(table.name)})`),
    sql`select rowscope._release_audit_view(${lit(model.apiSchema)})`,
    sql`select rowscope._disable_login_audit()`,
  ];
}
