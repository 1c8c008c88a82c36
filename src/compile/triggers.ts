import type { Model, TableModel } from '../model/types.ts';
import { ident, lit, sql, type Sql } from '../sql/index.ts';

// The row guard (sql/080_record_guard.sql) keeps system columns and refuses
// creates, updates, assigns and deletes the user may not make, with a reason.
export function compileGuardTrigger(model: Model, table: TableModel): Sql {
  const fn = table.ownership === 'user' ? ident('rowscope', '_tg_guard_user_owned') : ident('rowscope', '_tg_guard_organization_owned');
  return sql`create trigger rowscope_guard before insert or update or delete on ${ident(model.dataSchema, table.name)}
  for each row execute function ${fn}(${lit(table.name)})`;
}

// After the row is final: share inheritance and reparenting, assign cascades
// (sql/140_relationships.sql). User-owned tables only: they have owners and shares.
export function compileAfterTrigger(model: Model, table: TableModel): Sql[] {
  if (table.ownership !== 'user') return [];
  return [
    sql`create trigger rowscope_after_change after insert or update on ${ident(model.dataSchema, table.name)}
  for each row execute function ${ident('rowscope', '_tg_after_change')}(${lit(table.name)})`,
  ];
}

export function compileAfterTriggerTeardown(model: Model, table: TableModel): Sql[] {
  if (table.ownership !== 'user') return [];
  return [sql`drop trigger if exists rowscope_after_change on ${ident(model.dataSchema, table.name)}`];
}
