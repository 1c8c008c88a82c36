import type { Model, TableModel } from '../model/types.ts';
import { ident, join, lit, sql, type Sql } from '../sql/index.ts';

// The row guard (sql/080_record_guard.sql) keeps system columns and refuses
// creates, updates, assigns and deletes the user may not make, with a reason.
export function compileGuardTrigger(model: Model, table: TableModel): Sql {
  const fn = table.ownership === 'user' ? ident('rowscope', '_tg_guard_user_owned') : ident('rowscope', '_tg_guard_organization_owned');
  return sql`create trigger rowscope_guard before insert or update or delete on ${ident(model.dataSchema, table.name)}
  for each row execute function ${fn}(${lit(table.name)})`;
}

/** The table's lookup columns (its relationships as a child), sorted: what its after triggers watch. */
export function lookupColumns(table: TableModel): string[] {
  return [...new Set(table.relationships.map((r) => r.column))].sort();
}

// After the row is final: share inheritance and reparenting, assign cascades
// (sql/140_relationships.sql _tg_after_change). User-owned tables only: they
// have owners and shares. The function does something only when a lookup
// column or the owner changed, or the row guard held an assign back for the
// end of the statement (sql/080, rowscope.assign_pending); the WHEN clauses
// say exactly that, so the common write (a field, not a lookup or the owner)
// never calls it (~0.2 ms a row: docs/performance.md "Writes"). A table that
// is nobody's child has no insert trigger. The lookup columns are part of
// what a model change rebuilds the table's triggers from (src/compile/diff.ts).
export function compileAfterTrigger(model: Model, table: TableModel): Sql[] {
  if (table.ownership !== 'user') return [];
  const rel = ident(model.dataSchema, table.name);
  const fn = sql`${ident('rowscope', '_tg_after_change')}(${lit(table.name)})`;
  const lookups = lookupColumns(table);
  const changed = join([
    sql`old.owner_id is distinct from new.owner_id`,
    ...lookups.map((c) => sql`old.${ident(c)} is distinct from new.${ident(c)}`),
    sql`current_setting('rowscope.assign_pending', true) = 'on'`,
  ], sql` or `);
  const triggers = [
    sql`create trigger rowscope_after_change after update on ${rel}
  for each row when (${changed}) execute function ${fn}`,
  ];
  if (lookups.length > 0) {
    const underParent = join(lookups.map((c) => sql`new.${ident(c)} is not null`), sql` or `);
    triggers.push(sql`create trigger rowscope_after_insert after insert on ${rel}
  for each row when (${underParent}) execute function ${fn}`);
  }
  return triggers;
}

export function compileAfterTriggerTeardown(model: Model, table: TableModel): Sql[] {
  if (table.ownership !== 'user') return [];
  const rel = ident(model.dataSchema, table.name);
  return [
    sql`drop trigger if exists rowscope_after_insert on ${rel}`,
    sql`drop trigger if exists rowscope_after_change on ${rel}`,
  ];
}
