// The plan PostgreSQL picks for a statement as a persona, with sequential
// scans priced out (the e2e tables are tiny, so a seq scan would always win and
// hide whether an index can serve the filter). Used by filter.test.ts and
// prefix-condition.test.ts to show which GraphQL filters reach an index.
import type { Org } from '../support/org.ts';

export async function explainAs(org: Org, persona: string, text: string, values: unknown[]): Promise<string> {
  const c = await org.pool.connect();
  try {
    await c.query('begin');
    await c.query(`select set_config('role', $1, true), set_config('enable_seqscan', 'off', true)`, [org.role(persona)]);
    const { rows } = await c.query<{ 'QUERY PLAN': string }>({ text: `explain ${text}`, values });
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await c.query('rollback');
    c.release();
  }
}
