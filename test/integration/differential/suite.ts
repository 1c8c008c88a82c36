// The differential test of one fixture model (docs/testing.md): random organizations
// (BU trees with their default teams, users with random roles, access modes and
// disabled flags, owner and access teams with both inheritance modes, records,
// contacts under accounts, shares, and what the model enables: hierarchy,
// modernized BUs, field security) loaded into one
// real database in a random order, then changed; for every user the rows
// visible in api.account / api.product, the secured values they read, and the
// outcome of UPDATE, DELETE and INSERT attempts, and every right check_access
// reports, must equal the reference evaluator of docs/security-model.md (src/reference). Each *.test.ts file registers the
// fixtures it covers with its share of DIFF_RUNS.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/model/index.ts';
import { RIGHTS } from '../../../src/model/types.ts';
import { describeOrganization, organizationFromModel, Reference, type Organization } from '../../../src/reference/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { fixtureModelFile, securedDatabase } from '../../support/secured.ts';
import { applyChanges, changesArbitrary, type Change } from './churn.ts';
import { attemptsFor, expectedFields, observe, observeRights, securedColumns, tablesOf } from './decisions.ts';
import { dropLoginPool, LOAD_PHASES, loadOrganization, type LoadPhase } from './load.ts';
import { organizationArbitrary } from './org-arbitrary.ts';

/**
 * Organizations per run of the whole differential suite, shared out by the
 * fixtures' weights: the default takes ~0.55 s an organization on its own
 * (PostgreSQL 18, embedded, 2 cores), several times that in a full run.
 */
const TOTAL_RUNS = Number(process.env.DIFF_RUNS ?? 200);
const OBSERVERS = 3; // connections observing users at once (the CI machines have 2 cores)

/** This fixture's organizations: its weight's share of DIFF_RUNS, at least one. */
export const runsFor = (weight: number): number => Math.max(1, Math.round(TOTAL_RUNS * weight));

export function differentialSuite(fixture: string, runs: number): void {
  describe(fixture, () => {
    // how often the reference expected each outcome: shows the runs exercise every kind of decision
    const tally = new Map<string, number>();
    let rightsMs = 0;
    let db: TestDatabase;
    let pool: pg.Pool;
    let model: Organization;
    const tag = `d${randomBytes(3).toString('hex')}`;

    beforeAll(async () => {
      db = await securedDatabase(fixture);
      pool = new pg.Pool({ connectionString: db.url, max: 1 + OBSERVERS });
      model = organizationFromModel(await loadModel(fixtureModelFile(fixture)));
    });

    afterAll(async () => {
      await pool?.end();
      await db?.drop();
      if (db) await dropLoginPool(db.adminUrl, tag);
    });

    const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);

    /** Every disagreement between the database and the reference for one organization. */
    async function disagreements(c: pg.PoolClient, generated: Organization, order: LoadPhase[], changes: Change[]) {
      const loaded = await loadOrganization(c, generated, tag, order);
      const { ids, roles } = loaded;
      const { org, done, found } = await applyChanges(c, generated, loaded, changes);
      const symbols = new Map([...ids].map(([sym, uuid]) => [uuid, sym]));
      const ref = new Reference(org);
      const secured = securedColumns(org);
      let decisions = 0;
      // what the organization holds beyond roles and shares: shows the runs exercise each feature
      for (const a of org.assignments) if (a.businessUnitId !== null) count('role held in another BU');
      for (const a of org.assignments) if (org.teams.some((t) => t.isDefault && t.id === a.principalId)) count('role of a default team');
      for (const r of org.records.account ?? []) {
        const owner = [...org.users, ...org.teams].find((p) => p.id === r.ownerId);
        if (owner && owner.businessUnitId !== r.owningBusinessUnitId) count('record outside its owner\'s BU');
      }
      // users are observed in parallel, each in its own rolled-back transaction
      await Promise.all(org.users.map(async (u) => {
        const attempts = attemptsFor(ref, org, u.id, ids);
        const client = await pool.connect();
        const seen = await observe(client, roles.get(u.id)!, attempts, symbols, secured, tablesOf(org)).finally(() => client.release());
        decisions += attempts.length + tablesOf(org).length;
        for (const table of tablesOf(org)) {
          const expected = ref.visible(u.id, table).sort();
          if (expected.join() !== seen.visible[table].join()) {
            found.push(`${u.id} reads ${table}: database sees [${seen.visible[table].join(', ')}], reference [${expected.join(', ')}]`);
          }
        }
        // how the reference's reads came about: shows the runs exercise sharing, hierarchy and reparent
        for (const r of org.records.contact ?? []) {
          const why = ref.decide(u.id, 'contact', 'read', r.id);
          if (why.granted && why.reasons.every((w) => w.startsWith('owner of parent'))) count('read only as owner of the parent');
        }
        for (const r of org.records.account ?? []) {
          for (const right of ['read', 'write'] as const) {
            const why = ref.decide(u.id, 'account', right, r.id);
            if (why.granted && why.reasons.every((w) => /^(manager of|in a higher position)/.test(w))) count(`${right} only through hierarchy`);
            if (why.granted && why.reasons.every((w) => w.startsWith('shared with'))) count(`${right} only through sharing`);
          }
        }
        // secured values of the records both sides agree the user reads (a visibility disagreement is reported above)
        const both = seen.visible.account.filter((r) => ref.decide(u.id, 'account', 'read', r).granted);
        const fields = expectedFields(ref, org, u.id, both);
        for (const r of both) {
          for (const col of secured) {
            const want = fields[r]![col]!;
            const got = seen.fields[r]?.[col] ?? null;
            decisions++;
            const reasons = ref.field(u.id, 'account', col, r, 'read').reasons;
            count(want === null ? 'masked' : reasons.some((w) => w.startsWith('field share')) ? 'unmasked by a field share' : 'unmasked');
            if (got !== want) {
              found.push(`${u.id} reads account ${r}.${col}: database ${got ?? 'NULL'}, reference ${want ?? 'NULL (masked)'} (${reasons.join('; ')})`);
            }
          }
        }
        attempts.forEach((a, i) => {
          count(a.expected);
          if (a.label.startsWith('assign') && a.why.some((w) => w.includes('missing prvRead'))) count('assign refused: the new owner lacks read');
          if (seen.outcomes[i] !== a.expected) {
            found.push(`${u.id} ${a.label}: database ${seen.outcomes[i]}, reference ${a.expected} (${a.why.join('; ')})`);
          }
        });
      }));
      // and every right on every record, as check_access reports it
      const t0 = Date.now();
      const held = await observeRights(c, org, ids);
      rightsMs += Date.now() - t0;
      for (const u of org.users) {
        for (const table of tablesOf(org)) {
          for (const r of org.records[table] ?? []) {
            const want = RIGHTS.filter((right) => ref.decide(u.id, table, right, r.id).granted);
            const got = held.get(`${u.id} ${table} ${r.id}`) ?? [];
            decisions++;
            if (want.join() !== got.join()) {
              const why = RIGHTS.filter((right) => want.includes(right) !== got.includes(right)).map((right) => `${right}: ${ref.decide(u.id, table, right, r.id).reasons.join('; ')}`);
              found.push(`${u.id} rights on ${table} ${r.id}: check_access [${got.join(', ')}], reference [${want.join(', ')}] (${why.join(' | ')})`);
            }
          }
        }
      }
      return { found: found.sort(), decisions, org, done };
    }

    it(`every user sees and may change exactly what docs/security-model.md allows (${runs} organizations)`, async () => {
      const c = await pool.connect();
      const started = Date.now();
      let orgs = 0;
      let decisions = 0;
      try {
        await fc.assert(
          fc.asyncProperty(organizationArbitrary(model), fc.shuffledSubarray([...LOAD_PHASES], { minLength: LOAD_PHASES.length }), changesArbitrary, async (generated, order, changes) => {
            const result = await disagreements(c, generated, order, changes);
            const { org, done } = result;
            orgs++;
            decisions += result.decisions;
            if (result.found.length > 0) {
              throw new Error(`the database and the reference disagree (${fixture}; loaded in the order ${order.join(', ')}; then ${done.join(', ') || 'no changes'}; the organization after them:)\n${describeOrganization(org)}\ndisagreements:\n  ${result.found.join('\n  ')}`);
            }
          }),
          { numRuns: runs },
        );
      } finally {
        c.release();
        console.log(`[differential ${fixture}] ${orgs} organizations, ${decisions} decisions in ${((Date.now() - started) / 1000).toFixed(1)} s (check_access ${(rightsMs / 1000).toFixed(1)} s); expected ${[...tally].map(([k, n]) => `${k} ${n}`).join(', ')}`);
      }
      expect(orgs).toBeGreaterThanOrEqual(runs);
    }, 900_000);
  });
}
