// rowscope bench: the benchmark of docs/performance.md on DATABASE_URL or the embedded
// PostgreSQL. Builds the synthetic organization in its own database
// (rowscope_bench_<scale>), times each persona × query against its physical
// limit, prints the table and optionally writes JSON. The database is dropped
// afterwards unless --keep (a later run at the same scale then reuses it).
import { Command, InvalidArgumentError } from 'commander';
import { writeFileSync } from 'node:fs';
import { benchDatabase, dropBenchDatabase, formatLoad, formatGraphql, formatReport, graphqlThroughput, loadSteps, reportJson, runBench, sizesFor } from '../../bench/index.ts';
import { formatThroughput, runConcurrency, type ThroughputReport } from '../../bench/concurrency.ts';
import { withDatabase } from '../database.ts';
import { out, progress } from '../output.ts';

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

export function benchDatabaseName(scale: number): string {
  return `rowscope_bench_${String(scale).replace(/[^0-9]/g, '_')}`;
}

export function benchCommand(): Command {
  return new Command('bench')
    .description('benchmark: a synthetic organization (scale 1: 100 BUs, 2,000 users, 1M accounts, 2M contacts, 100k shares); each persona × query against its physical limit')
    .option('--scale <s>', 'row counts relative to scale 1', positive, 1)
    .option('--runs <n>', 'timed runs per cell (after 2 warm-up runs)', count, 15)
    .option('--json <file>', 'also write the results as JSON')
    .option('--keep', 'keep the bench database (and reuse it next time at the same scale)')
    .option('--load-only', 'build (or reuse) the bench database and report its load steps; no queries are timed')
    .option('--concurrency <n>', 'also a mixed write workload of n clients as users vs as the superuser (JSON: throughput)', count)
    .option('--concurrency-seconds <s>', 'how long each side of the --concurrency workload runs', positive, 20)
    .option('--concurrency-only', 'with --concurrency and/or --graphql: only those, no persona × query cells')
    .option('--graphql', 'also: the first page of 20 accounts at 16 clients through rowscope\'s server vs plain PostGraphile (docs/performance.md)')
    .option('--graphql-seconds <n>', 'seconds each GraphQL server is timed', positive, 20)
    .action(async (opts: { scale: number; runs: number; json?: string; keep?: boolean; loadOnly?: boolean;
                           concurrency?: number; concurrencySeconds: number; concurrencyOnly?: boolean;
                           graphql?: boolean; graphqlSeconds: number }) => {
      const sizes = sizesFor(opts.scale);
      await withDatabase(async (db) => {
        const name = benchDatabaseName(opts.scale);
        const started = Date.now();
        try {
          const url = await benchDatabase({ serverUrl: db.url, name, sizes, reuse: !!opts.keep, say: progress });
          if (opts.loadOnly) {
            const load = await loadSteps(url);
            out(formatLoad(load));
            if (opts.json) {
              writeFileSync(opts.json, `${JSON.stringify({ scale: opts.scale, load }, null, 2)}\n`);
              progress(`wrote ${opts.json}`);
            }
            return;
          }
          const cellsWanted = !(opts.concurrencyOnly && (opts.concurrency || opts.graphql));
          const report = cellsWanted ? await runBench({ url, scale: opts.scale, runs: opts.runs, say: progress }) : null;
          if (report) out(formatReport(report));
          let throughput: ThroughputReport | undefined;
          if (opts.concurrency) {
            progress(`concurrency: ${opts.concurrency} clients, ${opts.concurrencySeconds} s as users and as the superuser`);
            // a dropped database needs no clean-up
            throughput = await runConcurrency({ url, clients: opts.concurrency, seconds: opts.concurrencySeconds, cleanup: !!opts.keep, say: progress });
            out(formatThroughput(throughput));
          }
          const graphql = opts.graphql ? await graphqlThroughput({ url, seconds: opts.graphqlSeconds, say: progress }) : undefined;
          if (graphql) out(`\n${formatGraphql(graphql)}`);
          if (opts.json) {
            const extra = { ...(throughput ? { throughput } : {}), ...(graphql ? { graphql } : {}) };
            writeFileSync(opts.json, report
              ? reportJson({ ...report, ...extra })
              : `${JSON.stringify({ scale: opts.scale, ...extra }, null, 2)}\n`);
            progress(`wrote ${opts.json}`);
          }
        } finally {
          if (!opts.keep) {
            progress(`dropping the bench database ${name}`);
            await dropBenchDatabase(db.url, name);
          }
          progress(`bench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        }
      });
    });
}
