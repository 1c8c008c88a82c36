// Three projects, all run by `npm test` (= `vitest run`); pick one with
// `npx vitest run --project integration`.
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/sequencer.ts';

export default defineConfig({
  test: {
    // Projects still waiting for their first test file must not fail the run.
    passWithNoTests: true,
    // The CI machines have 2 cores; vitest's default (cores - 1) would run
    // every file one after another. Three files at a time on 2 cores: with
    // two, the CPUs were idle ~30% of a run (files waiting on locks, servers,
    // the browser, child processes); a fresh-clone .ci/run took 16.8 min with
    // three against ~18.5 with two (docs/testing.md). Shared by all projects
    // (vitest requires one value per sequence group).
    maxWorkers: 3,
    // the longest files first (test/support/sequencer.ts)
    sequence: { sequencer: LongestFirst },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'golden', include: ['test/golden/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          // One PostgreSQL for the run: DATABASE_URL, ROWSCOPE_PG_BIN, Docker or embedded.
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          // Template builds (schema + seed data) happen in beforeAll.
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
