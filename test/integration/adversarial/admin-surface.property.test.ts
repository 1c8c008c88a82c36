// The admin surface as a property (issue 14): random organizations
// (test/fixtures/models/admin.yaml: admin roles with partial privileges on the
// security tables, business roles, owner and access teams, records, shares,
// profiles, a manager hierarchy) and random sequences of admin calls by random
// callers — users holding random admin roles, in every access mode, some
// disabled. For each call the database, called as the caller's login, must
// agree with the reference admin rules (src/reference/admin.ts) on allowed or
// refused and on the SQLSTATE; after each call that succeeds
// - the database's security data must equal the reference's (so what the
//   reference proves about its state holds for the database),
// - no principal may hold, through roles, teams' roles or profiles, access
//   teams, shares or field shares, more than the caller could have granted
//   directly (src/reference/admin-invariant.ts; System Administrator exempt),
// - check_access of a few users on a few records must equal the reference.
// One database per run; each sequence runs in a transaction that is rolled
// back (login roles included), each call in a savepoint.
//
// ADMIN_RUNS (default 150) sequences of ADMIN_CALLS (default 20) calls;
// ADMIN_SEED replays a run (the seed is printed on failure and at the end),
// ADMIN_PATH with it only the failing organization (fast-check's path);
// ADMIN_COLLECT=1 keeps going after a failure and prints one example of each
// kind of disagreement; ADMIN_SHRINK=1 shrinks the first failure (slow: each
// try reloads an organization). Without either, the first failure is reported
// as found, with the organization and the calls that led to it.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/model/index.ts';
import { RIGHTS } from '../../../src/model/types.ts';
import {
  accessTeamId, applyAdmin, decideAdmin, describeCall, escalations, Reference,
  type AdminOrganization,
} from '../../../src/reference/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { fixtureModelFile, securedDatabase } from '../../support/secured.ts';
import { callSeedArbitrary, resolveCall, runCall, type CallSeed } from './admin-surface/calls.ts';
import { databaseLines, lineDiff, loadOrganization, referenceLines, type Ids } from './admin-surface/database.ts';
import { adminModel, adminOrganizationArbitrary, describeAdmin } from './admin-surface/organization.ts';

const RUNS = Number(process.env.ADMIN_RUNS ?? 150);
const CALLS = Number(process.env.ADMIN_CALLS ?? 20);
const SEED = process.env.ADMIN_SEED === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(process.env.ADMIN_SEED);
const COLLECT = process.env.ADMIN_COLLECT === '1';
const CHECKS_PER_CALL = 2;
// sequences run on each loaded organization, each rolled back to the state after loading (loading is the slow part)
const PER_ORGANIZATION = 5;
const sequencesArbitrary = fc.array(fc.array(callSeedArbitrary, { minLength: CALLS, maxLength: CALLS }), { minLength: PER_ORGANIZATION, maxLength: PER_ORGANIZATION });

interface Problem {
  kind: string;
  text: string;
}

describe('admin surface (property)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let model: AdminOrganization;
  const tag = `a${randomBytes(3).toString('hex')}`;
  const tally = new Map<string, number>();
  const count = (what: string) => tally.set(what, (tally.get(what) ?? 0) + 1);
  // where the time goes (printed with the tally)
  const ms = new Map<string, number>();

  beforeAll(async () => {
    db = await securedDatabase('admin');
    pool = new pg.Pool({ connectionString: db.url, max: 1 });
    model = adminModel(await loadModel(fixtureModelFile('admin')));
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /** check_access of a few users on a few records against the reference. */
  async function spotCheck(c: pg.PoolClient, ids: Ids, org: AdminOrganization, seed: CallSeed): Promise<string[]> {
    const records = [...(org.records.account ?? []).map((r) => ['account', r.id] as const), ...(org.records.contact ?? []).map((r) => ['contact', r.id] as const)];
    if (records.length === 0) return [];
    const ref = new Reference(org);
    const found: string[] = [];
    const picks = Array.from({ length: CHECKS_PER_CALL }, (_, i) => ({ user: org.users[(seed.b + i) % org.users.length]!.id, at: records[(seed.c + i * 7) % records.length]! }));
    const { rows } = await c.query<{ rights: string[] }>('select rowscope.check_access(x.t, x.r, x.u) as rights from unnest($1::text[], $2::uuid[], $3::uuid[]) with ordinality x(t, r, u, n) order by n',
      [picks.map((p) => p.at[0]), picks.map((p) => ids.of(p.at[1])), picks.map((p) => ids.of(p.user))]);
    picks.forEach(({ user, at: [table, record] }, i) => {
      const got = RIGHTS.filter((r) => rows[i]!.rights.includes(r)).join(',');
      const want = RIGHTS.filter((r) => ref.decide(user, table, r, record).granted).join(',');
      count('check_access compared');
      if (got !== want) found.push(`check_access(${table} ${record}, ${user}): database {${got}}, reference {${want}}`);
    });
    return found;
  }

  let t = Date.now();
  const lap = (what: string) => {
    const now = Date.now();
    ms.set(what, (ms.get(what) ?? 0) + now - t);
    t = now;
  };

  /** Runs one sequence on the loaded organization; returns the first problem (null: none) and what was done. */
  async function sequence(c: pg.PoolClient, generated: AdminOrganization, loadedIds: Ids, seeds: CallSeed[]): Promise<{ problem: Problem | null; done: string[]; org: AdminOrganization }> {
    let org = generated;
    const ids = loadedIds.clone();
    const done: string[] = [];
    let next = 0;
    const fresh = () => String(next++);
    const login = (newId: string) => `${tag}_${newId}`;
    t = Date.now();
    for (const seed of seeds) {
      const resolved = resolveCall(org, seed, fresh);
      if (!resolved) continue;
      const { caller, call } = resolved;
      const expected = decideAdmin(org, caller, call);
      lap('reference');
      const got = await runCall(c, ids, caller, call, login);
      lap('calls');
      const line = `${caller}: ${describeCall(call)} → ${got.ok ? 'ok' : got.code}`;
      done.push(line);
      count(`${call.fn} ${expected.kind}`);
      const problem = (kind: string, text: string) => ({ problem: { kind: `${call.fn}: ${kind}`, text: `${line}\n${text}` }, done, org });
      const why = 'why' in expected ? expected.why.join('; ') : '';
      if (expected.kind === 'allowed' && !got.ok) return problem(`reference allows, database refuses ${got.code}`, `database: ${got.message}`);
      if (expected.kind === 'refused' && got.ok) return problem('reference refuses, database allows', `reference: ${expected.codes.join('|')} ${why}`);
      if (expected.kind === 'refused' && !got.ok && !expected.codes.includes(got.code as never)) {
        return problem(`reference refuses ${expected.codes.join('|')}, database ${got.code}`, `reference: ${why}\ndatabase: ${got.message}`);
      }
      if (!got.ok) continue;
      const after = applyAdmin(org, caller, call);
      await registerRecordTeams(c, ids, after);
      lap('registering');
      const escalated = escalations(org, after, caller, call);
      lap('reference');
      if (escalated.length > 0) return problem('escalation', `gained beyond the caller's holdings:\n  ${escalated.join('\n  ')}`);
      const diff = lineDiff(await databaseLines(c, ids), referenceLines(after));
      if (diff.length > 0) return problem('security data differs', `after it (db: only in the database, ref: only in the reference):\n  ${diff.join('\n  ')}`);
      lap('compare');
      org = after;
      const checked = await spotCheck(c, ids, org, seed);
      lap('check_access');
      if (checked.length > 0) return problem('check_access differs', checked.join('\n'));
    }
    return { problem: null, done, org };
  }

  /** Record access teams the reference created get the database's ids. */
  async function registerRecordTeams(c: pg.PoolClient, ids: Ids, org: AdminOrganization): Promise<void> {
    for (const rt of org.recordTeams) {
      if (ids.uuid.has(rt.teamId)) continue;
      const { rows } = await c.query<{ id: string }>('select id from rowscope.team where record_table = $1 and record_id = $2 and template = $3', [rt.table, ids.of(rt.recordId), rt.template]);
      if (rows[0]) ids.set(accessTeamId(rt.table, rt.recordId, rt.template), rows[0].id);
    }
  }

  it(`admin calls agree with the reference admin rules and never escalate (${RUNS} sequences x ${CALLS} calls)`, async () => {
    const c = await pool.connect();
    const started = Date.now();
    let sequences = 0;
    const kinds = new Map<string, { n: number; example: string }>();
    try {
      await fc.assert(
        fc.asyncProperty(adminOrganizationArbitrary(model), sequencesArbitrary, async (generated, sequencesSeeds) => {
          await c.query('begin');
          try {
            t = Date.now();
            const ids = await loadOrganization(c, generated, tag);
            lap('load');
            const loaded = lineDiff(await databaseLines(c, ids), referenceLines(generated));
            lap('compare');
            if (loaded.length > 0) throw new Error(`the loaded organization differs from the generated one:\n  ${loaded.join('\n  ')}\n${describeAdmin(generated)}`);
            await c.query('savepoint sequence');
            for (const seeds of sequencesSeeds) {
              const { problem, done, org } = await sequence(c, generated, ids, seeds);
              await c.query('rollback to savepoint sequence');
              sequences++;
              if (!problem) continue;
              const text = `${problem.text}\n\nthe organization before that call:\n${describeAdmin(org)}\n\ncalls:\n  ${done.join('\n  ')}`;
              if (!COLLECT) throw new Error(`${problem.kind} (replay: ADMIN_SEED=${SEED} ADMIN_RUNS=${RUNS})\n${text}`);
              const k = kinds.get(problem.kind);
              kinds.set(problem.kind, { n: (k?.n ?? 0) + 1, example: k?.example ?? text });
            }
          } finally {
            await c.query('rollback');
          }
        }),
        { numRuns: Math.ceil(RUNS / PER_ORGANIZATION), seed: SEED, path: process.env.ADMIN_PATH, endOnFailure: !process.env.ADMIN_SHRINK },
      );
    } finally {
      c.release();
      console.log(`[admin surface] seed ${SEED}: ${sequences} sequences in ${((Date.now() - started) / 1000).toFixed(1)} s (${[...ms].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}); ${[...tally].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
      for (const [kind, { n, example }] of kinds) console.log(`[admin surface] ${n}x ${kind}\n${example}\n`);
    }
    expect(sequences).toBeGreaterThanOrEqual(RUNS);
    expect([...kinds.keys()]).toEqual([]);
  }, 900_000);
});
