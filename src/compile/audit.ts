import type { Model, TableModel } from '../model/types.ts';
import { ident, join, lit, sql, type Sql } from '../sql/index.ts';

// Audit (docs/security-model.md): one AFTER row trigger per model table feeding
// rowscope._tg_audit (sql/210_audit_triggers.sql); the api.audit_log view and,
// with auditLogins, the login event trigger are steps of src/compile/setup.ts.
// An unaudited user-owned table still gets a trigger for assigns only: an
// assign is a security change, audited like shares and role assignments
// whatever the table's own audit setting.
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
