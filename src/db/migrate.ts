// Applies or reverts node-pg-migrate SQL migrations (files with
// `-- Up Migration` / `-- Down Migration`), as `rowscope migrate` does.
import { withClient } from './client.ts';
import { withMendedPositions } from './error-position.ts';

export interface MigrateOptions {
  url: string;
  /** Directory holding the `.sql` migrations. */
  dir: string;
  direction?: 'up' | 'down';
  /** How many to apply (default: all pending) or revert (default: 1). */
  count?: number;
  /** node-pg-migrate's progress lines; silent when omitted. */
  log?: (line: string) => void;
  /**
   * The migrations' own `rowscope: …` notices (e.g. sql/250_audit_logins.sql:
   * auditLogins unavailable without a superuser); PostgreSQL's other notices
   * ("schema … already exists, skipping") are dropped.
   */
  notice?: (line: string) => void;
}

/** A failed migration: `message` is PostgreSQL's own, fit for one CLI line. */
export class MigrationError extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Runs the migrations and returns the names of those it ran, in order. */
export async function runMigrations(opts: MigrateOptions): Promise<string[]> {
  const { url, dir, direction = 'up', count, log, notice } = opts;
  const say = log ?? (() => {});
  try {
    // Our own client rather than a URL: node-pg-migrate does not wait for its
    // client to end nor listen for its errors, so a connection terminated
    // right after a run (e.g. by dropDatabase) would crash the process.
    // Loaded here, not at the top: every CLI command imports this module (for
    // MigrationError, src/cli/errors.ts) and node-pg-migrate takes ~0.3 s to
    // load, which `rowscope check`, `as`, `doctor`... never need.
    const { runner } = await import('node-pg-migrate');
    const ran = await withClient(url, (dbClient) => {
      dbClient.on('notice', (n) => {
        if (notice && n.message?.startsWith('rowscope: ')) notice(n.message);
      });
      return runner({
        dbClient: withMendedPositions(dbClient),
        dir,
        direction,
        count,
        migrationsTable: 'pgmigrations',
        migrationsSchema: 'public',
        // Each migration commits on its own: a failure leaves the ones before it
        // applied and recorded, and the failing one not at all.
        singleTransaction: false,
        // Only .sql files are migrations; a README or an editor's backup is not.
        ignorePattern: '(?!.*\\.sql$).*',
        checkOrder: true,
        logger: { debug: say, info: say, warn: say, error: say },
      });
    });
    return ran.map((m) => m.name);
  } catch (error) {
    // node-pg-migrate already logged the failing statement; the caller wants
    // PostgreSQL's message alone (and the SQLSTATE). Some of node-pg-migrate's
    // own errors embed a stack in the message: keep its first line only.
    const { message, code } = error as { message?: string; code?: string };
    throw new MigrationError((message ?? String(error)).split('\n')[0]!, code);
  }
}
