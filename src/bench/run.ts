// Runs the benchmark on a loaded bench database (docs/performance.md): every persona ×
// query as the persona (through the api view; also as a prepared statement,
// as PostGraphile runs it) and its physical limit, interleaved, after warm-up
// runs that also check that RLS and limit return the same rows.
import os from 'node:os';
import pg from 'pg';
import { loadSteps } from './database.ts';
import { currentDatabase, rolePrefix, type LoadStep } from './load.ts';
import { PERSONAS, personaFacts, type PersonaFacts } from './personas.ts';
import { readQueries, writeQueries, type Statement } from './queries.ts';
import { median, p95, round, timeMs } from './stats.ts';

export interface BenchResult {
  persona: string;
  query: string;
  median_ms: number;
  p95_ms: number;
  limit_median_ms: number;
  limit_p95_ms: number;
  ratio: number;
  /** which hand-written form was the limit: or | union | superuser (writes) */
  limit_form: string;
  rows: number;
  rows_match: boolean;
}

export interface BenchReport {
  scale: number;
  postgres: string;
  date: string;
  cores: number;
  /** the machine's 1-minute load average when the timed runs started and ended
   * (os.loadavg): ratios within one run are comparable, absolute times only
   * between runs at a similar load (docs/performance.md) */
  load_average: { start: number; end: number };
  settings: Record<string, string>;
  classes: Record<string, Record<string, string>>;
  /** how the bench database was built: one entry per load step */
  load: LoadStep[];
  results: BenchResult[];
}

/** One timed variant of a cell. */
interface Variant {
  name: string;
  run: () => Promise<pg.QueryResult>;
  samples: number[];
  result?: pg.QueryResult;
}

interface Cell {
  persona: string;
  query: string;
  rls: Variant;
  limits: Variant[];
}

/** The name of the accounts the persona sessions insert to warm their cache. */
const WARM_UP = 'bench warm-up';

async function personaSession(url: string, facts: PersonaFacts): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  // a login of this user: its role and the settings ALTER ROLE ... SET gives it
  // (SET ROLE alone would not apply them)
  await client.query(`select set_config('role', $1, false)`, [facts.role]);
  for (const [name, value] of facts.settings) await client.query('select set_config($1, $2, false)', [name, value]);
  // A warm session, as after the persona's first committed statements: the
  // grant summaries of every right it holds on its own record are in the
  // session's cache (sql/045). The benchmark rolls its writes back, which would
  // discard what a write caches; a session that commits its writes computes
  // them once, not at every write.
  if (facts.ownId) {
    await client.query(`select rowscope.scope_org('account', 'read'), rowscope.check_access('account', $1)`, [facts.ownId]);
    // create is no right on a record (check_access does not ask for it): one
    // committed insert caches it, as a session's first insert does. The row is
    // deleted after the timed runs (a delete writes record_share, which bumps
    // the security epoch and so empties every session's cache).
    await client.query(`insert into api.account (name) values ($1)`, [WARM_UP]);
  }
  return client;
}

const query = (client: pg.Client, s: Statement, name?: string) => () =>
  client.query(name ? { name, text: s.text, values: s.values } : { text: s.text, values: s.values });

/** A write in a transaction that is rolled back, timing the statement alone. */
const rolledBack = (client: pg.Client, s: Statement) => async () => {
  await client.query('begin');
  try {
    return await timeOnly(client, s);
  } finally {
    await client.query('rollback');
  }
};
// the write's own time is measured inside; see measure()
const writeTimes = new WeakMap<pg.QueryResult, number>();
async function timeOnly(client: pg.Client, s: Statement): Promise<pg.QueryResult> {
  const { ms, value } = await timeMs(() => client.query({ text: s.text, values: s.values }));
  writeTimes.set(value, ms);
  return value;
}

function fingerprint(r: pg.QueryResult): string {
  return r.rows.map((row) => JSON.stringify(row)).sort().join('\n');
}

async function measure(v: Variant, record: boolean): Promise<void> {
  const { ms, value } = await timeMs(v.run);
  v.result ??= value;
  if (record) v.samples.push(writeTimes.get(value) ?? ms);
}

export async function runBench(opts: {
  url: string;
  scale: number;
  runs: number;
  warmup?: number;
  say: (line: string) => void;
}): Promise<BenchReport> {
  const { url, say } = opts;
  const admin = new pg.Client({ connectionString: url });
  admin.on('error', () => {});
  await admin.connect();
  const sessions: pg.Client[] = [];
  try {
    const { rows: [info] } = await admin.query<{ v: string }>("select current_setting('server_version') as v");
    const { rows: settingRows } = await admin.query<{ name: string; setting: string }>(
      `select name, current_setting(name) as setting from pg_settings
       where name in ('shared_buffers', 'effective_cache_size', 'work_mem', 'max_parallel_workers_per_gather', 'jit', 'random_page_cost')`);
    const facts: PersonaFacts[] = [];
    const prefix = rolePrefix(await currentDatabase(admin));
    for (const p of PERSONAS) facts.push(await personaFacts(admin, p, prefix));
    // shares go to a generic user who holds shares already (no class change)
    const { rows: [target] } = await admin.query<{ id: string }>(
      `select s.principal_id as id from rowscope.record_share s join rowscope.system_user u on u.id = s.principal_id
       where u.db_role like $1 || 'u%' order by u.db_role limit 1`, [prefix]);

    const cells: Cell[] = [];
    for (const f of facts) {
      const session = await personaSession(url, f);
      sessions.push(session);
      const label = f.persona.key;
      for (const q of readQueries(f)) {
        const limits: Variant[] = [{ name: 'or', run: query(admin, q.limits.or), samples: [] }];
        if (q.limits.union) limits.push({ name: 'union', run: query(admin, q.limits.union), samples: [] });
        cells.push({ persona: label, query: q.name, rls: { name: 'rls', run: query(session, q.rls), samples: [] }, limits });
        cells.push({
          persona: label,
          query: `${q.name} (prepared)`,
          rls: { name: 'rls', run: query(session, q.rls, `bench_${q.name}`), samples: [] },
          limits,
        });
      }
      for (const w of writeQueries(f, target!.id)) {
        cells.push({
          persona: label,
          query: w.name,
          rls: { name: 'rls', run: rolledBack(session, w.rls), samples: [] },
          limits: [{ name: 'superuser', run: rolledBack(admin, w.limit), samples: [] }],
        });
      }
    }

    const warmup = opts.warmup ?? 2;
    const total = warmup + opts.runs;
    say(`running ${cells.length} cells × ${opts.runs} runs (+${warmup} warm-up), interleaved`);
    const started = Date.now();
    const loadAtStart = round(os.loadavg()[0]!, 2);
    for (let run = 0; run < total; run++) {
      const record = run >= warmup;
      // rotate the start and alternate the order so no cell always runs first or after the same one
      for (let k = 0; k < cells.length; k++) {
        const cell = cells[(k + run * 7) % cells.length]!;
        const order = run % 2 === 0 ? [cell.rls, ...cell.limits] : [...cell.limits, cell.rls];
        // a shared limit variant (prepared and unprepared cells) is timed once per run
        const timed = order.filter((v) => v === cell.rls || !cell.query.endsWith('(prepared)'));
        // each variant runs once untimed first: the rows the cell reads are then in
        // shared buffers for both, not only for the one that happens to run second
        // (with an odd number of runs that made the median of one side cold)
        for (const v of timed) await measure(v, false);
        for (const v of timed) await measure(v, record);
      }
      if (run === warmup - 1 || (run + 1) % 5 === 0 || run === total - 1) {
        say(`  run ${run + 1}/${total} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
      }
    }

    const results: BenchResult[] = cells.map((cell) => {
      const best = cell.limits.reduce((a, b) => (median(b.samples) < median(a.samples) ? b : a));
      const write = cell.limits[0]!.name === 'superuser';
      const rows = cell.rls.result?.rowCount ?? 0;
      const rowsMatch = write
        ? cell.rls.result?.rowCount === best.result?.rowCount
        : cell.limits.every((l) => fingerprint(l.result!) === fingerprint(cell.rls.result!));
      const m = median(cell.rls.samples);
      const lm = median(best.samples);
      return {
        persona: cell.persona,
        query: cell.query,
        median_ms: round(m),
        p95_ms: round(p95(cell.rls.samples)),
        limit_median_ms: round(lm),
        limit_p95_ms: round(p95(best.samples)),
        ratio: round(m / lm, 2),
        limit_form: best.name,
        rows,
        rows_match: rowsMatch,
      };
    });
    return {
      scale: opts.scale,
      postgres: info!.v,
      date: new Date().toISOString(),
      cores: os.cpus().length,
      load_average: { start: loadAtStart, end: round(os.loadavg()[0]!, 2) },
      settings: Object.fromEntries(settingRows.map((r) => [r.name, r.setting])),
      classes: Object.fromEntries(facts.map((f) => [f.persona.key, f.classes])),
      load: await loadSteps(url),
      results,
    };
  } finally {
    for (const s of sessions) await s.end().catch(() => {});
    await admin.query('delete from app.account where name = $1', [WARM_UP]).catch(() => {});
    await admin.end().catch(() => {});
  }
}
