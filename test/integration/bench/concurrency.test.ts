// `rowscope bench --concurrency` at a tiny scale (src/bench/concurrency.ts; a tool, so no
// timing is asserted): two clients for a few seconds as users and as the
// superuser; the JSON has the throughput keys, every acknowledged write
// is there afterwards, nothing deadlocked, the audit chain verifies, and the
// run's rows are gone again.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { benchDatabase, dropBenchDatabase, sizesFor } from '../../../src/bench/index.ts';
import { lostWrites, runConcurrency, type ThroughputReport } from '../../../src/bench/concurrency.ts';
import { withClient } from '../../../src/db/client.ts';

const name = `bench_conc_${randomBytes(4).toString('hex')}`;
const serverUrl = inject('adminUrl');
const sizes = sizesFor(0.001);
let url: string;
let t: ThroughputReport;

beforeAll(async () => {
  url = await benchDatabase({ serverUrl, name, sizes, reuse: false, say: () => {} });
  t = await runConcurrency({ url, clients: 2, seconds: 3, say: () => {} });
}, 300_000);
afterAll(async () => {
  await dropBenchDatabase(serverUrl, name);
});

describe('rowscope bench --concurrency 2 at scale 0.001', () => {
  it('reports throughput: {clients, rls_ops_s, limit_ops_s, ratio}', () => {
    const json = JSON.parse(JSON.stringify({ throughput: t })) as { throughput: Record<string, unknown> };
    expect(json.throughput).toMatchObject({ clients: 2, seconds: 3 });
    for (const key of ['rls_ops_s', 'limit_ops_s', 'ratio']) {
      expect(typeof json.throughput[key], key).toBe('number');
      expect(json.throughput[key] as number, key).toBeGreaterThan(0);
    }
    expect(t.ratio).toBeCloseTo(t.rls_ops_s / t.limit_ops_s, 1);
  });

  it('ran every kind of write on both sides', () => {
    for (const side of [t.rls, t.limit]) {
      expect(side.ops).toBe(Object.values(side.by_kind).reduce((a, b) => a + b, 0));
      for (const [kind, n] of Object.entries(side.by_kind)) expect(n, kind).toBeGreaterThan(0);
    }
  });

  it('lost no acknowledged write, deadlocked never, and the audit chain verifies', () => {
    expect(t.lost_writes).toBe(0);
    expect(t.deadlocks).toBe(0);
    expect(t.serialization_failures).toBeGreaterThanOrEqual(0);
    expect({ verified: t.audit_verified, problem: t.audit_problem }).toEqual({ verified: true, problem: null });
  });

  it('counts a write that is not there as lost', async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      const { rows: [a] } = await c.query<{ id: string; owner_id: string; revenue: string | null }>(
        'select id, owner_id, revenue from app.account order by id limit 1');
      const revenue = Number(a!.revenue ?? 0);
      const ledger = {
        accounts: new Map([[a!.id, { owner: a!.owner_id, revenue }], [randomUUID(), { owner: a!.owner_id, revenue: 2 }]]),
        contacts: [randomUUID()],
        shares: [{ record: a!.id, principal: randomUUID() }],
      };
      // the missing account (its insert and 2 updates), the contact, the share
      expect(await lostWrites(c, ledger)).toBe(3 + 1 + 1);
    } finally {
      await c.end();
    }
  });

  it('leaves the organization as it was built', async () => {
    await withClient(url, async (c) => {
      const { rows: [n] } = await c.query<{ a: number; c: number; run: number }>(
        `select (select count(*)::int from app.account) as a, (select count(*)::int from app.contact) as c,
                (select count(*)::int from app.account where name like 'bench concurrency%') as run`);
      expect(n).toEqual({ a: sizes.accounts, c: sizes.contacts, run: 0 });
    });
  });
});
