// DESIGN §5 differential testing: random organizations (BU trees, users with
// random roles, access modes and disabled flags, owner and access teams with
// both inheritance modes, records, shares) loaded into one real database; for
// every user the rows visible in api.account / api.product and the outcome of
// UPDATE, DELETE and INSERT attempts must equal the reference evaluator of
// SPEC §2 (src/reference). DIFF_RUNS sets the number of organizations.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadModel } from '../../../src/model/index.ts';
import { describeOrganization, organizationFromModel, Reference, type Organization } from '../../../src/reference/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { fixtureModelFile, securedDatabase } from '../../support/secured.ts';
import { attemptsFor, observe } from './decisions.ts';
import { applyChanges, changesArbitrary, type Change } from './churn.ts';
import { LOAD_PHASES, loadOrganization, type LoadPhase } from './load.ts';
import { organizationArbitrary } from './org-arbitrary.ts';

// 300 organizations take about 55 s alone on 2 cores (PostgreSQL 18, embedded)
const RUNS = Number(process.env.DIFF_RUNS ?? 300);
const POOL_SIZE = 6; // users per organization at most: the login roles reused across runs
const OBSERVERS = 3; // connections observing users at once (the CI machines have 2 cores)

// how often the reference expected each outcome: shows the runs exercise every kind of decision
const tally = new Map<string, number>();

let db: TestDatabase;
let pool: pg.Pool;
let model: Organization;
const tag = `d${randomBytes(3).toString('hex')}`;

beforeAll(async () => {
  db = await securedDatabase('differential');
  pool = new pg.Pool({ connectionString: db.url, max: 1 + OBSERVERS });
  model = organizationFromModel(await loadModel(fixtureModelFile('differential')));
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
  if (db) {
    // the pool of login roles is cluster-wide: leave nothing behind
    const admin = new pg.Client({ connectionString: db.adminUrl });
    await admin.connect();
    for (let i = 0; i < POOL_SIZE; i++) await admin.query(`drop role if exists ${tag}_u${i}`).catch(() => {});
    await admin.end();
  }
});

/** Every disagreement between the database and the reference for one organization. */
async function disagreements(c: pg.PoolClient, generated: Organization, order: LoadPhase[], changes: Change[]): Promise<{ found: string[]; decisions: number; org: Organization; done: string[] }> {
  const loaded = await loadOrganization(c, generated, tag, order);
  const { ids, roles } = loaded;
  const { org, done } = await applyChanges(c, generated, loaded, changes);
  const symbols = new Map([...ids].map(([sym, uuid]) => [uuid, sym]));
  const ref = new Reference(org);
  const found: string[] = [];
  let decisions = 0;
  // users are observed in parallel, each in its own rolled-back transaction
  await Promise.all(org.users.map(async (u) => {
    const attempts = attemptsFor(ref, org, u.id, ids);
    const client = await pool.connect();
    const seen = await observe(client, roles.get(u.id)!, attempts, symbols).finally(() => client.release());
    decisions += attempts.length + 2;
    for (const table of ['account', 'product'] as const) {
      const expected = ref.visible(u.id, table).sort();
      if (expected.join() !== seen.visible[table].join()) {
        found.push(`${u.id} reads ${table}: database sees [${seen.visible[table].join(', ')}], reference [${expected.join(', ')}]`);
      }
    }
    attempts.forEach((a, i) => {
      tally.set(a.expected, (tally.get(a.expected) ?? 0) + 1);
      if (seen.outcomes[i] !== a.expected) {
        found.push(`${u.id} ${a.label}: database ${seen.outcomes[i]}, reference ${a.expected} (${a.why.join('; ')})`);
      }
    });
  }));
  return { found: found.sort(), decisions, org, done };
}

it('every user sees and may change exactly what SPEC §2 allows', async () => {
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
          throw new Error(`the database and the reference disagree (loaded in the order ${order.join(', ')}; then ${done.join(', ') || 'no changes'}; the organization after them:)\n${describeOrganization(org)}\ndisagreements:\n  ${result.found.join('\n  ')}`);
        }
      }),
      { numRuns: RUNS },
    );
  } finally {
    c.release();
    console.log(`[differential] ${orgs} organizations, ${decisions} decisions in ${((Date.now() - started) / 1000).toFixed(1)} s; expected ${[...tally].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  }
  expect(orgs).toBeGreaterThanOrEqual(RUNS);
}, 900_000);
