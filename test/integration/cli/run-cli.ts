// Runs the real CLI (node src/cli/rowscope.mjs ...) in a child process, the
// way a user does, and collects what it prints.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../../src/cli/rowscope.mjs', import.meta.url));

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
