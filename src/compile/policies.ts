import type { Model, TableModel } from '../model/types.ts';
import { ident, join, lit, sql, type Sql } from '../sql/index.ts';
import { classRoleName, type AccessClass } from './names.ts';

// The policy shape of DESIGN §4 ("G9"): one permissive read policy per access
// class, its arms `col = any((select f())::uuid[])` so each access set is an
// InitPlan computed once per statement; `using (true)` for organization readers
// (the planner drops the filter); share-carrying classes add a restrictive twin
// whose share arm is a hashed subplan. Writes reach what the user can read
// (generic policies: writes are row-targeted) and the row guard trigger refuses,
// with a reason, what may not be changed.

function arms(table: TableModel) {
  const name = lit(table.name);
  const read = lit('read');
  return {
    owners: sql`owner_id = any ((select rowscope.scope_owners(${name}, ${read}))::uuid[])`,
    businessUnits: sql`owning_business_unit = any ((select rowscope.scope_bus(${name}, ${read}))::uuid[])`,
    shared: sql`id = any ((select rowscope.scope_records(${name}, ${read}))::uuid[])`,
    sharedHashed: sql`id in (select unnest(rowscope.scope_records(${name}, ${read})))`,
    org: sql`(select rowscope.scope_org(${name}, ${read}))`,
    // rows the session assigned away in this transaction (sql/100_records.sql)
    assigned: sql`id = any ((select rowscope.assigned_records(${name}))::uuid[])`,
  };
}

const or = (parts: Sql[]) => join(parts, sql` or `);

function readPolicy(model: Model, table: TableModel, cls: AccessClass, predicate: Sql, restrictive = false): Sql {
  const name = ident(restrictive ? `rowscope_read_${cls}_twin` : `rowscope_read_${cls}`);
  const kind = restrictive ? sql`as restrictive ` : sql``;
  return sql`create policy ${name} on ${ident(model.dataSchema, table.name)} ${kind}for select to ${ident(classRoleName(table.name, cls))}
  using (${predicate})`;
}

export function compileReadPolicies(model: Model, table: TableModel): Sql[] {
  const a = arms(table);
  const policies = [readPolicy(model, table, 'org', sql`true`)];
  if (table.ownership === 'user') {
    policies.push(
      readPolicy(model, table, 'bu', or([a.owners, a.businessUnits])),
      readPolicy(model, table, 'bu_shared', or([a.owners, a.businessUnits, a.shared])),
      readPolicy(model, table, 'bu_shared', or([a.owners, a.businessUnits, a.sharedHashed, a.assigned]), true),
      readPolicy(model, table, 'user', a.owners),
      readPolicy(model, table, 'user_shared', or([a.owners, a.shared])),
      readPolicy(model, table, 'user_shared', or([a.owners, a.sharedHashed, a.assigned]), true),
      sql`create policy ${ident('rowscope_read_assigned')} on ${ident(model.dataSchema, table.name)} for select to ${ident('rowscope_user')}
  using (${a.assigned})`,
    );
  }
  // class `none` has no policy: nothing is visible
  return policies;
}

/** What an UPDATE or DELETE can reach: exactly the rows the user can read. */
function reach(table: TableModel): Sql {
  const a = arms(table);
  return table.ownership === 'user' ? or([a.org, a.owners, a.businessUnits, a.shared]) : a.org;
}

export function compileWritePolicies(model: Model, table: TableModel): Sql[] {
  const rel = ident(model.dataSchema, table.name);
  const users = ident('rowscope_user');
  return [
    sql`create policy ${ident('rowscope_insert')} on ${rel} for insert to ${users}
  with check (true)`,
    sql`create policy ${ident('rowscope_update')} on ${rel} for update to ${users}
  using (${reach(table)})
  with check (true)`,
    sql`create policy ${ident('rowscope_delete')} on ${rel} for delete to ${users}
  using (${reach(table)})`,
    // the security-definer helpers (assign, share) and a non-superuser deployment
    // administrator act on any row; their own checks decide
    sql`create policy ${ident('rowscope_definer')} on ${rel} for all to ${ident('rowscope_definer')}
  using (true) with check (true)`,
    sql`create policy ${ident('rowscope_admin')} on ${rel} for all to ${ident('rowscope_admin')}
  using (true) with check (true)`,
  ];
}
