// docs/performance.md / docs/architecture.md applied to field security: masking costs a user who
// reads the column nowhere nothing per row. Their page has the plan of the same
// table without secured columns (plus one InitPlan per secured column, run once
// per statement) and the per-row reader is never called; a reader calls it
// once per returned row only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, fields, type Fields } from './setup.ts';

let f: Fields;
const PAGE = 'select * from api.%t order by modified_on desc limit 50';

interface PlanNode {
  'Node Type': string;
  'Parent Relationship'?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** The plan as a tree of node types, InitPlans left out, table names made generic. */
function shape(node: PlanNode): unknown {
  return {
    type: node['Node Type'],
    index: node['Index Name']?.replace(/^employee(_plain)?/, 'employee'),
    children: (node.Plans ?? []).filter((p) => p['Parent Relationship'] !== 'InitPlan').map(shape),
  };
}

function subPlans(node: PlanNode): PlanNode[] {
  const own = node['Parent Relationship'] === 'SubPlan' ? [node] : [];
  return own.concat(...(node.Plans ?? []).map(subPlans));
}

/** Runs `text` as the persona with function-call tracking on; returns the rows and how often each function ran. */
async function traced(persona: string, text: string, functions: string[]) {
  const c = await f.org.pool.connect();
  try {
    await c.query('begin');
    await c.query(`select set_config('track_functions', 'all', true)`);
    const oids = (await c.query('select f::regproc::oid as oid from unnest($1::text[]) f', [functions])).rows.map((r) => r.oid);
    // the counters are the backend's pending ones (not per transaction): take a difference
    const count = async () =>
      (await c.query('select coalesce(pg_stat_get_xact_function_calls(o), 0)::int as n from unnest($1::oid[]) o', [oids])).rows.map((r) => r.n as number);
    const before = await count();
    await c.query(`select set_config('role', $1, true)`, [f.org.role(persona)]);
    const rows = (await c.query(text)).rows;
    const after = await count();
    const calls = after.map((n, i) => n - before[i]!);
    await c.query('rollback');
    return { rows, calls };
  } finally {
    c.release();
  }
}

async function plan(persona: string, relation: string): Promise<PlanNode> {
  const [row] = await f.org.as(persona, `explain (format json, costs off) ${PAGE.replace('api.%t', relation)}`);
  return row['QUERY PLAN'][0].Plan;
}

beforeAll(async () => {
  f = await fields();
  for (const table of ['employee', 'employee_plain']) {
    await f.org.admin(`insert into app.${table} (name, salary, bonus, ssn, owner_id)
      select 'e' || g, g, g / 10, 'ssn' || g, $1 from generate_series(1, 5000) g`, [f.org.id('clerk')]);
    await f.org.admin(`analyze app.${table}`);
  }
});
afterAll(() => close(f));

describe('masking and the plan', () => {
  it('a page read without the profile has the shape of a table without secured columns', async () => {
    // the baseline is the plain table itself under the same RLS
    const secured = await plan('hr', 'api.employee');
    const plain = await plan('hr', 'app.employee_plain');
    expect(shape(secured)).toEqual(shape(plain));
    expect(subPlans(secured)).toEqual([]);
    // the page walks the modified_on index, as on the plain table
    expect(JSON.stringify(secured)).toContain('employee_rs_modified_on');
    expect(shape(await plan('hr', 'api.employee_plain'))).toEqual(shape(plain));
  });

  it('the per-row reader never runs for a user who reads the column nowhere, once per row for a reader', async () => {
    const readers = ['salary', 'bonus', 'ssn'].map((c) => `rowscope.field_employee__${c}_`);
    const [{ names }] = await f.org.admin(
      `select array_agg(rowscope._secured_reader_name('employee', c) order by c) as names from unnest(array['bonus', 'salary', 'ssn']) c`);
    expect(names.every((n: string, i: number) => `rowscope.${n}`.startsWith(readers.sort()[i]!))).toBe(true);
    const fns = names.map((n: string) => `rowscope.${n}`);
    const fieldReadMode = 'rowscope.field_read_mode';

    const masked = await traced('hr', PAGE.replace('%t', 'employee'), [...fns, fieldReadMode]);
    expect(masked.rows).toHaveLength(50);
    expect(masked.rows.every((r) => r.salary === null)).toBe(true);
    expect(masked.calls.slice(0, 3)).toEqual([0, 0, 0]); // bonus, salary, ssn readers
    expect(masked.calls[3]).toBeLessThanOrEqual(6); // the mode InitPlans: per statement, not per row

    const reader = await traced('viewer', PAGE.replace('%t', 'employee'), [...fns, fieldReadMode]);
    expect(reader.rows.every((r) => r.salary !== null && r.bonus === null)).toBe(true);
    expect(reader.calls.slice(0, 3)).toEqual([0, 50, 0]); // salary read for the 50 rows of the page only
    expect(reader.calls[3]).toBeLessThanOrEqual(6);
  });

  it('count(*) and filters on plain columns never touch the secured readers, even for a reader', async () => {
    const [{ names }] = await f.org.admin(`select array_agg(rowscope._secured_reader_name('employee', 'salary')) as names`);
    const counted = await traced('viewer', `select count(*)::int as n from api.employee where name ^@ 'e1'`, [`rowscope.${names[0]}`]);
    expect(counted.rows).toEqual([{ n: 1111 }]);
    expect(counted.calls).toEqual([0]);
  });
});
