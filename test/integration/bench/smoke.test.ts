// `rowscope bench` at a tiny scale (docs/performance.md; the benchmark itself is a tool,
// never a timed test): the organization builds, every persona × query runs as
// the persona and as its physical limit with the same rows, and the JSON has
// the shape. No timing is asserted.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { rolePrefix } from '../../../src/bench/load.ts';
import { benchDatabase, dropBenchDatabase, PERSONAS, reportJson, runBench, sizesFor, type BenchReport } from '../../../src/bench/index.ts';

const name = `bench_smoke_${randomBytes(4).toString('hex')}`;
const serverUrl = inject('adminUrl');
let url: string;
let report: BenchReport;

beforeAll(async () => {
  url = await benchDatabase({ serverUrl, name, sizes: sizesFor(0.001), reuse: false, say: () => {} });
  report = await runBench({ url, scale: 0.001, runs: 1, warmup: 1, say: () => {} });
}, 300_000);
afterAll(async () => {
  await dropBenchDatabase(serverUrl, name);
});

describe('rowscope bench at scale 0.001', () => {
  it('writes the JSON the issue names', () => {
    const json = JSON.parse(reportJson(report)) as Record<string, unknown>;
    expect(json.scale).toBe(0.001);
    expect(json.postgres).toMatch(/^\d+/);
    // the machine's load while the runs were timed (ratios are compared within one run)
    const load = json.load_average as { start: unknown; end: unknown };
    for (const v of [load.start, load.end]) expect(typeof v === 'number' && Number.isFinite(v) && v >= 0).toBe(true);
    const results = json.results as Record<string, unknown>[];
    for (const r of results) {
      for (const key of ['median_ms', 'p95_ms', 'limit_median_ms', 'limit_p95_ms', 'ratio']) {
        expect(typeof r[key], `${r.persona} ${r.query} ${key}`).toBe('number');
        expect(Number.isFinite(r[key] as number), `${r.persona} ${r.query} ${key}`).toBe(true);
      }
      expect(typeof r.persona).toBe('string');
      expect(typeof r.query).toBe('string');
    }
  });

  it('reports how the database was built: load: [{step, rows, seconds}]', () => {
    const sizes = sizesFor(0.001);
    const json = JSON.parse(reportJson(report)) as { load: { step: string; rows: number; seconds: number }[] };
    expect(Object.fromEntries(json.load.map((s) => [s.step, s.rows]))).toMatchObject({
      business_units: sizes.businessUnits, users: sizes.users, teams: sizes.teams, accounts: sizes.accounts,
      contacts: sizes.contacts, shares: sizes.shares, logins: sizes.users,
    });
    for (const s of json.load) expect(s.seconds, s.step).toBeGreaterThanOrEqual(0);
  });

  it('covers every persona × query, reads also prepared, writes for personas with privileges', () => {
    const cells = new Set(report.results.map((r) => `${r.persona} ${r.query}`));
    const reads = ['page', 'count', 'point', 'like', 'prefix', 'join'];
    for (const p of PERSONAS) {
      for (const q of reads) {
        expect(cells.has(`${p.key} ${q}`), `${p.key} ${q}`).toBe(true);
        expect(cells.has(`${p.key} ${q} (prepared)`), `${p.key} ${q} (prepared)`).toBe(true);
      }
      for (const w of ['insert', 'update', 'share', 'assign', 'delete']) expect(cells.has(`${p.key} ${w}`), `${p.key} ${w}`).toBe(p.key !== 'none');
    }
  });

  it('RLS and the physical limit return the same rows in every cell', () => {
    const differing = report.results.filter((r) => !r.rows_match).map((r) => `${r.persona} ${r.query}`);
    expect(differing).toEqual([]);
  });

  it('personas see what their depth gives them', () => {
    const rows = (persona: string, query: string) => report.results.find((r) => r.persona === persona && r.query === query)!.rows;
    expect(rows('org', 'page')).toBe(50);
    expect(rows('none', 'page')).toBe(0);
    expect(rows('none', 'point')).toBe(0);
    for (const p of ['bu', 'deep', 'user', 'manager']) expect(rows(p, 'point'), p).toBe(1);
  });

  it('puts each persona in the access class its depth and shares call for', () => {
    const cls = (persona: string) => report.classes[persona]!.account;
    expect(cls('org')).toBe('org');
    expect(cls('deep')).toMatch(/^bu(_shared)?$/);
    expect(cls('user')).toBe('user_shared');
    expect(cls('none')).toBe('none');
  });

  it('leaves writes rolled back and the organization the size asked for', async () => {
    const sizes = sizesFor(0.001);
    await withClient(url, async (c) => {
      const { rows: [n] } = await c.query<{ a: number; c: number; u: number }>(
        `select (select count(*)::int from app.account) as a, (select count(*)::int from app.contact) as c,
                (select count(*)::int from rowscope.system_user) as u`);
      expect(n).toEqual({ a: sizes.accounts, c: sizes.contacts, u: sizes.users });
      const { rows: [m] } = await c.query<{ n: number }>(
        `select count(*)::int as n from rowscope.manager_closure c join rowscope.system_user u on u.id = c.ancestor_id
         where u.db_role = $1 and c.distance <= 3`, [`${rolePrefix(name)}manager`]);
      expect(m!.n).toBe(50);
    });
  });
});
