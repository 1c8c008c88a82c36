// Issue 17 item 8: every fix explain_access suggests works. For random
// organizations (test/integration/differential/org-arbitrary.ts) and random
// denials among them (a right check_access does not report), the steps of
// rowscope.explain_fix, run in order by the deployment administrator in a
// transaction that is rolled back, make check_access report the right; the
// explanation's `fix:` line words exactly those steps, and where it says a
// share cannot count yet, the fix gives a role (not only shares).
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/model/index.ts';
import { RIGHTS } from '../../../src/model/types.ts';
import { describeOrganization, organizationFromModel, type Organization } from '../../../src/reference/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { fixtureModelFile, securedDatabase } from '../../support/secured.ts';
import { dropLoginPool, loadOrganization } from '../differential/load.ts';
import { organizationArbitrary } from '../differential/org-arbitrary.ts';

const RUNS = Number(process.env.FIX_RUNS ?? 8);
const DENIALS_PER_ORG = 12;

type Denial = { user: string; table: string; record: string; right: string };

for (const fixture of ['differential_hierarchy', 'differential_modern']) {
  describe(`explain fixes on ${fixture}`, () => {
    let db: TestDatabase;
    let pool: pg.Pool;
    let model: Organization;
    const tag = `f${randomBytes(3).toString('hex')}`;
    const tally = new Map<string, number>();

    beforeAll(async () => {
      db = await securedDatabase(fixture);
      pool = new pg.Pool({ connectionString: db.url, max: 2 });
      model = organizationFromModel(await loadModel(fixtureModelFile(fixture)));
    });
    afterAll(async () => {
      await pool?.end();
      await db?.drop();
      if (db) await dropLoginPool(db.adminUrl, tag);
    });

    /** Applies the fix of one denial; returns what went wrong (nothing: it worked). */
    async function tryFix(c: pg.PoolClient, d: Denial, label: string): Promise<string | null> {
      await c.query('begin');
      try {
        const steps = (await c.query<{ step: number; description: string; statement: string }>(
          'select * from rowscope.explain_fix($1, $2, $3, $4) order by step', [d.table, d.record, d.right, d.user])).rows;
        const explained = (await c.query<{ granted: boolean; reasons: string[] }>(
          'select granted, reasons from rowscope.explain_access($1, $2, $3) where access_right = $4', [d.table, d.record, d.user, d.right])).rows[0]!;
        if (explained.granted) return `${label}: explain_access says granted, check_access does not`;
        if (steps.length === 0) return `${label}: no fix (${explained.reasons.join(' | ')})`;
        const line = explained.reasons.filter((r) => r.startsWith('fix: '));
        const words = `fix: ${steps.map((s) => s.description).join(', and ')}`;
        if (line.length !== 1 || line[0] !== words) return `${label}: the fix line [${line.join(' / ')}] is not the steps [${words}]`;
        // a share of the right cannot count without the privilege: the fix must give a role, not only shares
        if (explained.reasons.some((r) => r.includes('a share counts only while')) && !steps.some((s) => /rowscope\.assign_role/.test(s.statement))) {
          return `${label}: offers only shares although a share cannot count (${explained.reasons.join(' | ')})`;
        }
        for (const s of steps) {
          tally.set(s.statement.replace(/\(.*/, ''), (tally.get(s.statement.replace(/\(.*/, '')) ?? 0) + 1);
          await c.query(s.statement);
        }
        const [{ rights }] = (await c.query<{ rights: string[] }>('select rowscope.check_access($1, $2, $3) as rights', [d.table, d.record, d.user])).rows;
        if (!rights.includes(d.right)) return `${label}: after [${steps.map((s) => s.statement).join('; ')}] check_access gives [${rights.join(', ')}]`;
        return null;
      } catch (e) {
        return `${label}: ${(e as Error).message}`;
      } finally {
        await c.query('rollback');
      }
    }

    it(`the first suggested fix grants the right (${RUNS} organizations)`, async () => {
      const c = await pool.connect();
      let tried = 0;
      try {
        await fc.assert(
          fc.asyncProperty(organizationArbitrary(model), fc.nat(), async (org, seed) => {
            const { ids } = await loadOrganization(c, org, tag);
            const symbols = new Map([...ids].map(([sym, uuid]) => [uuid, sym]));
            const records = (['account', 'product'] as const).flatMap((t) => (org.records[t] ?? []).map((r) => ({ table: t, id: ids.get(r.id)! })));
            const { rows } = await c.query<{ u: string; t: string; r: string; rights: string[] }>(
              `select u, x.t, x.r, rowscope.check_access(x.t, x.r, u) as rights
                 from unnest($1::uuid[]) u cross join unnest($2::text[], $3::uuid[]) x(t, r)`,
              [org.users.map((u) => ids.get(u.id)!), records.map((r) => r.table), records.map((r) => r.id)]);
            const denials: Denial[] = rows.flatMap((row) => RIGHTS.filter((right) => !row.rights.includes(right))
              .map((right) => ({ user: row.u, table: row.t, record: row.r, right })));
            // a spread of the denials, starting at a random one
            const step = Math.max(1, Math.floor(denials.length / DENIALS_PER_ORG));
            const picked = denials.filter((_, i) => (i + seed) % step === 0).slice(0, DENIALS_PER_ORG);
            const problems: string[] = [];
            for (const d of picked) {
              tried++;
              const problem = await tryFix(c, d, `${symbols.get(d.user)} ${d.right} on ${d.table} ${symbols.get(d.record)}`);
              if (problem) problems.push(problem);
            }
            if (problems.length) throw new Error(`fixes that do not work (${fixture}):\n${describeOrganization(org)}\n  ${problems.join('\n  ')}`);
          }),
          { numRuns: RUNS },
        );
      } finally {
        c.release();
        console.log(`[explain fixes ${fixture}] ${tried} denials fixed; steps ${[...tally].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      }
      expect(tried).toBeGreaterThan(RUNS);
    }, 600_000);
  });
}
