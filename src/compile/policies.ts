import type { Model, TableModel } from '../model/types.ts';
import { ident, join, keyword, lit, sql, type Sql } from '../sql/index.ts';
import { classPlaceholder, type AccessClass } from './names.ts';

// The policy shape of docs/architecture.md ("G9"): one permissive read policy per access
// class, its arms `col = any((select f())::uuid[])` so each access set is an
// InitPlan computed once per statement; `using (true)` for organization readers
// (the planner drops the filter); share-carrying classes add a restrictive twin
// whose share arm is a hashed subplan. UPDATE and DELETE reach what the class
// reads (policies per class too) and the row guard trigger refuses, with a
// reason, what may not be changed.
//
// Class roles are per database (sql/050): policies are created TO the
// placeholder rowscope_class_<class> and rowscope._bind_table_roles re-binds
// them to this database's role in the same migration (src/compile/tables.ts).
// Each class also gets a restrictive guard (sql/045 _class_guard) so that a
// plan made for a class the user has since left never answers beyond their
// current access.

function arms(table: TableModel) {
  const name = lit(table.name);
  const read = lit('read');
  return {
    owners: sql`owner_id = any ((select rowscope.scope_owners(${name}, ${read}))::uuid[])`,
    businessUnits: sql`owning_business_unit = any ((select rowscope.scope_bus(${name}, ${read}))::uuid[])`,
    shared: sql`id = any ((select rowscope.scope_records(${name}, ${read}))::uuid[])`,
    // the set as an InitPlan inside the sub-select: given the function itself,
    // the planner evaluated it while estimating unnest's rows, at every planning
    // of every statement of the class (measured: half the planning time of a
    // point read by the user with 500 shares; docs/performance.md "Issue 18")
    sharedHashed: sql`id in (select unnest((select rowscope.scope_records(${name}, ${read}))))`,
  };
}

const or = (parts: Sql[]) => join(parts, sql` or `);

/** What each class reads; the same rows are what its UPDATE and DELETE reach. `none` reads nothing. */
function classPredicates(table: TableModel): [AccessClass, Sql][] {
  const a = arms(table);
  if (table.ownership !== 'user') return [['org', sql`true`]];
  return [
    ['org', sql`true`],
    ['bu', or([a.owners, a.businessUnits])],
    ['bu_shared', or([a.owners, a.businessUnits, a.shared])],
    ['user', a.owners],
    ['user_shared', or([a.owners, a.shared])],
  ];
}

const COMMANDS = ['select', 'update', 'delete', 'all'] as const;

function policy(model: Model, table: TableModel, name: string, cls: AccessClass, command: (typeof COMMANDS)[number],
                predicate: Sql, restrictive = false): Sql {
  const kind = restrictive ? sql`as restrictive ` : sql``;
  const check = command === 'update' || command === 'all' ? sql`
  with check (true)` : sql``;
  return sql`create policy ${ident(name)} on ${ident(model.dataSchema, table.name)} ${kind}for ${keyword(command, COMMANDS)} to ${ident(classPlaceholder(cls))}
  using (${predicate})${check}`;
}

export function compileReadPolicies(model: Model, table: TableModel): Sql[] {
  const a = arms(table);
  const policies = classPredicates(table).map(([cls, predicate]) => policy(model, table, `rowscope_read_${cls}`, cls, 'select', predicate));
  if (table.ownership === 'user') {
    policies.push(
      policy(model, table, 'rowscope_read_bu_shared_twin', 'bu_shared', 'select', or([a.owners, a.businessUnits, a.sharedHashed]), true),
      policy(model, table, 'rowscope_read_user_shared_twin', 'user_shared', 'select', or([a.owners, a.sharedHashed]), true),
    );
  }
  // An InitPlan, computed once per statement: true, false (no read any more) or
  // 40001. As an integer compared with `<> 0`: a bare boolean Param is
  // estimated to pass half the rows, which halved every class's row estimates
  // (and could change its plans), and PostgreSQL folds `b <> false` back into
  // `b`; `<>` between non-columns is estimated at 0.995.
  for (const [cls] of classPredicates(table)) {
    policies.push(policy(model, table, `rowscope_guard_${cls}`, cls, 'all', classGuard(table, cls), true));
  }
  // class `none` has no policy: nothing is visible
  return policies;
}

/**
 * The guard's answer for the common case of the classes other than org,
 * computed in the statement: in READ COMMITTED rowscope._class_guard answers
 * true at once for them (sql/045), and the call cost ~0.1 ms a statement
 * (a security-definer plpgsql call). The CASE adds nothing to plan. The org
 * class still calls the function: its check reads the catalog, and reading it
 * in the statement (measured: the policy's roles from pg_policy and the login's
 * membership from pg_auth_members) saved ~40 us a prepared statement but cost
 * ~0.2 ms to plan every ad hoc one, twice in an UPDATE (docs/performance.md
 * "The class guard in parallel queries and in the statement").
 */
function classGuard(table: TableModel, cls: AccessClass): Sql {
  const call = sql`rowscope._class_guard(${lit(table.name)}, ${lit(cls)})::int`;
  if (cls === 'org') return sql`(select ${call}) <> 0`;
  return sql`(select case when current_setting('transaction_isolation') = 'read committed' then 1 else ${call} end) <> 0`;
}

export function compileWritePolicies(model: Model, table: TableModel): Sql[] {
  const rel = ident(model.dataSchema, table.name);
  // An UPDATE or DELETE reaches exactly the rows the user can read, per class
  // (an organization reader's `true` costs nothing); the row guard trigger then
  // refuses, with a reason, what may not be changed.
  const reach = classPredicates(table).flatMap(([cls, predicate]) => [
    policy(model, table, `rowscope_update_${cls}`, cls, 'update', predicate),
    policy(model, table, `rowscope_delete_${cls}`, cls, 'delete', predicate),
  ]);
  return [
    sql`create policy ${ident('rowscope_insert')} on ${rel} for insert to ${ident('rowscope_user')}
  with check (true)`,
    ...reach,
    // the security-definer helpers (assign, share) and a non-superuser deployment
    // administrator act on any row; their own checks decide
    sql`create policy ${ident('rowscope_definer')} on ${rel} for all to ${ident('rowscope_definer')}
  using (true) with check (true)`,
    sql`create policy ${ident('rowscope_admin')} on ${rel} for all to ${ident('rowscope_admin')}
  using (true) with check (true)`,
  ];
}
