// rowscope bench (docs/performance.md): build (or reuse) the synthetic organization on a
// server, time every persona × query against its physical limit, report.
export { benchDatabase, dropBenchDatabase, loadSteps, BENCH_MODEL_FILE } from './database.ts';
export type { LoadStep } from './load.ts';
export { runBench, type BenchReport, type BenchResult } from './run.ts';
export { formatGraphql, graphqlThroughput, type GraphqlThroughput } from './graphql.ts';
export { formatLoad, formatReport, reportJson, miss, TARGETS } from './report.ts';
export { sizesFor, type Sizes } from './sizes.ts';
export { PERSONAS } from './personas.ts';
