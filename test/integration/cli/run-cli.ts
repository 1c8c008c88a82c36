// Runs the real CLI in a child process, the way a user does, and collects what
// it prints: the compiled build of the current sources the global setup made
// (test/support/cli-build.ts), as the published package runs it.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { inject } from 'vitest';
import { BUILT_CLI } from '../../support/cli-build.ts';

export const CLI = BUILT_CLI;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** DATABASE_URL for the command; never inherited from the test's environment */
  databaseUrl?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env, DATABASE_URL: opts.databaseUrl, ROWSCOPE_DEBUG: undefined, ...opts.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: opts.cwd, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** The lines a failed command printed on stderr, without progress lines. */
export function errorLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((l) => l.trim() !== '');
}

/** True when the output looks like a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+\(.*:\d+:\d+\)$/m.test(text) || /^\s+at .+:\d+:\d+$/m.test(text);
}

// Doctor looks at cluster-wide state (roles), and the doctor tests break that
// state on purpose for a moment. Tests that break it hold this lock exclusively
// from the break to the repair; every doctor run holds it shared, so no run sees
// another file's breakage. A session-level advisory lock on the server's
// `postgres` database, re-entrant within this process for the exclusive holder.
let exclusiveDepth = 0;
export async function clusterLock<T>(mode: 'shared' | 'exclusive', fn: () => Promise<T>): Promise<T> {
  if (exclusiveDepth > 0) return fn();
  const client = new pg.Client({ connectionString: inject('adminUrl') });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(mode === 'shared' ? 'select pg_advisory_lock_shared(7347, 1)' : 'select pg_advisory_lock(7347, 1)');
    if (mode === 'exclusive') exclusiveDepth++;
    try {
      return await fn();
    } finally {
      if (mode === 'exclusive') exclusiveDepth--;
    }
  } finally {
    await client.end();
  }
}
