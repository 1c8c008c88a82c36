// The benchmark's printed table and its targets (issue 10): every read at
// median ratio ≤ 1.2 and p95 ratio ≤ 1.5, a point read under 1 ms, writes ≤ 1.5×
// the same write by the superuser (no RLS, no rights to check).
import type { LoadStep } from './load.ts';
import type { BenchReport, BenchResult } from './run.ts';

export const TARGETS = { readMedianRatio: 1.2, readP95Ratio: 1.5, pointMs: 1, writeRatio: 1.5 };

const WRITES = new Set(['insert', 'update', 'share', 'assign', 'delete']);

/** Why a cell misses its target, or null. */
export function miss(r: BenchResult): string | null {
  if (!r.rows_match) return 'rows differ from the limit';
  if (WRITES.has(r.query)) return r.ratio > TARGETS.writeRatio ? `write ratio > ${TARGETS.writeRatio}` : null;
  const p95Ratio = r.p95_ms / r.limit_p95_ms;
  if (r.ratio > TARGETS.readMedianRatio) return `median ratio > ${TARGETS.readMedianRatio}`;
  if (p95Ratio > TARGETS.readP95Ratio) return `p95 ratio ${p95Ratio.toFixed(2)} > ${TARGETS.readP95Ratio}`;
  if (r.query.startsWith('point') && r.median_ms >= TARGETS.pointMs) return `point read ≥ ${TARGETS.pointMs} ms`;
  return null;
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

export function formatReport(report: BenchReport): string {
  const header = ['persona', 'query', 'median ms', 'p95 ms', 'limit median', 'limit p95', 'ratio', 'limit', 'rows', 'target'];
  const body = report.results.map((r) => [
    r.persona, r.query, ms(r.median_ms), ms(r.p95_ms), ms(r.limit_median_ms), ms(r.limit_p95_ms),
    `${r.ratio.toFixed(2)}×`, r.limit_form, String(r.rows), miss(r) ?? 'ok',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = new Set([2, 3, 4, 5, 6, 8]);
  const line = (cells: string[]) => cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ').trimEnd();
  const misses = report.results.filter((r) => miss(r)).length;
  return [
    `rowscope bench: scale ${report.scale}, PostgreSQL ${report.postgres}, ${report.cores} cores, ${report.date}` +
      (report.load_average ? `, load average ${report.load_average.start} → ${report.load_average.end}` : ''),
    `settings: ${Object.entries(report.settings).map(([k, v]) => `${k}=${v}`).join(', ')}`,
    '',
    line(header),
    widths.map((w) => '-'.repeat(w)).join('-|-'),
    ...body.map(line),
    '',
    `${report.results.length - misses}/${report.results.length} cells meet their target` +
      ' (reads: median ratio ≤ 1.2, p95 ratio ≤ 1.5, point < 1 ms; writes ≤ 1.5× the superuser\'s)',
    ...(report.load.length > 0 ? ['', formatLoad(report.load)] : []),
  ].join('\n');
}

/** The JSON of `--json`: the issue's keys per result, plus what the run was on. */
export function reportJson(report: BenchReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** The load steps as lines: step, rows, seconds, rows per second. */
export function formatLoad(load: LoadStep[]): string {
  if (load.length === 0) return 'load: not recorded (the database was built by an older rowscope)';
  const total = load.reduce((sum, s) => sum + s.seconds, 0);
  return [
    'load step        |      rows |  seconds |  rows/s',
    ...load.map((s) => `${s.step.padEnd(16)} | ${String(s.rows).padStart(9)} | ${s.seconds.toFixed(1).padStart(8)} | ${
      s.rows > 1 && s.seconds > 0 ? String(Math.round(s.rows / s.seconds)).padStart(7) : '      -'}`),
    `total            |           | ${total.toFixed(1).padStart(8)} |`,
  ].join('\n');
}
