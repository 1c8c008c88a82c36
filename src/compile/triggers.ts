import type { Model, TableModel } from '../model/types.ts';
import { ident, lit, sql, type Sql } from '../sql/index.ts';

// The row guard (sql/080_record_guard.sql) keeps system columns and refuses
// creates, updates, assigns and deletes the user may not make, with a reason.
export function compileGuardTrigger(model: Model, table: TableModel): Sql {
  const fn = table.ownership === 'user' ? ident('rowscope', '_tg_guard_user_owned') : ident('rowscope', '_tg_guard_organization_owned');
  return sql`create trigger rowscope_guard before insert or update or delete on ${ident(model.dataSchema, table.name)}
  for each row execute function ${fn}(${lit(table.name)})`;
}
