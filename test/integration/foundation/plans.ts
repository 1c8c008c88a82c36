// EXPLAIN helpers for the plan-shape tests: a few thousand analyzed accounts and
// the JSON plan of a statement run as a persona.
import type { Org } from '../../support/org.ts';

export interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Parent Relationship'?: string;
  'Subplan Name'?: string;
  Filter?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

/** 5,000 accounts as the superuser; `few` owns 1 in 100, `a` and `b` the rest. Distinct modified_on. */
export async function loadAccounts(org: Org, few: string, a: string, b: string): Promise<void> {
  await org.admin(`insert into app.account (name, owner_id, revenue)
    select 'acc ' || g, case when g % 100 = 0 then $1::uuid when g % 2 = 0 then $2::uuid else $3::uuid end, g
    from generate_series(1, 5000) g`, [org.id(few), org.id(a), org.id(b)]);
  // the row guard stamps now() on every row; spread them out as a real table would be
  await org.admin('alter table app.account disable trigger rowscope_guard');
  await org.admin(`update app.account set modified_on = now() - (revenue || ' minutes')::interval`);
  await org.admin('alter table app.account enable trigger rowscope_guard');
  await org.admin('analyze app.account');
}

/** 5,000 organization-owned products as the superuser, with distinct modified_on. */
export async function loadProducts(org: Org): Promise<void> {
  await org.admin(`insert into app.product (name, price) select 'prod ' || g, g from generate_series(1, 5000) g`);
  await org.admin('alter table app.product disable trigger rowscope_guard');
  await org.admin(`update app.product set modified_on = now() - (price || ' minutes')::interval`);
  await org.admin('alter table app.product enable trigger rowscope_guard');
  await org.admin('analyze app.product');
}

export async function explain(org: Org, persona: string, text: string, values: unknown[] = []): Promise<PlanNode> {
  const [row] = await org.as(persona, `explain (format json) ${text}`, values);
  return row['QUERY PLAN'][0].Plan as PlanNode;
}

/** Every node of the plan, depth first. */
export function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

// The class guard (sql/045 _class_guard, src/compile/policies.ts): one
// InitPlan computed once per statement, tested per row as a parameter. It
// changes neither the scan nor the row estimate; anything else from RLS does.
const GUARD_FILTER = /^\((\(InitPlan \d+\)\.col1|\$\d+) <> 0\)$/;
const isGuardInitPlan = (n: PlanNode) => /InitPlan/.test(n['Parent Relationship'] ?? '') && n['Node Type'] === 'Result' && !n.Plans;

/** The shape the organization reader's first page must have: Limit over one index scan of the modified_on index, nothing from RLS but the class guard. */
export function problemsOfOrgPage(plan: PlanNode, table = 'account'): string[] {
  const all = nodes(plan);
  const problems: string[] = [];
  const guards = all.filter((n) => n.Filter !== undefined && GUARD_FILTER.test(n.Filter));
  if (guards.length !== 1) problems.push(`${guards.length} class guards`);
  if (all.filter(isGuardInitPlan).length !== 1) problems.push('no class guard InitPlan');
  if (plan['Node Type'] !== 'Limit') problems.push(`top node is ${plan['Node Type']}, not Limit`);
  for (const n of all) {
    if (n['Relation Name'] === table && (n['Node Type'] !== 'Index Scan' || !/modified_on/.test(n['Index Name'] ?? ''))) {
      problems.push(`${table} is read by ${n['Node Type']} ${n['Index Name'] ?? ''}`.trim());
    }
    if (n.Filter !== undefined && !GUARD_FILTER.test(n.Filter)) problems.push(`Filter: ${n.Filter}`);
    if (!isGuardInitPlan(n) && (n['Subplan Name'] !== undefined || /SubPlan|InitPlan/.test(n['Parent Relationship'] ?? ''))) problems.push(`subplan ${n['Subplan Name'] ?? ''}`);
    if (n['Node Type'] === 'Sort' || n['Node Type'] === 'Subquery Scan') problems.push(n['Node Type']);
  }
  return problems;
}
