// rowscope migrate: apply (or revert) node-pg-migrate migrations.
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { withClient } from '../../db/client.ts';
import { MigrationError, runMigrations } from '../../db/migrate.ts';
import { withDatabase } from '../database.ts';
import { CliError, FailedMigration } from '../errors.ts';
import { out, progress } from '../output.ts';
import { DEFAULT_MIGRATIONS_DIR, MIGRATIONS_DIR_HELP, plural } from './shared.ts';

export interface MigrateRun {
  url: string;
  dir: string;
  direction?: 'up' | 'down';
  count?: number;
  /** progress lines; default: stderr */
  say?: (line: string) => void;
}

/**
 * Runs the migrations with one progress line per migration (node-pg-migrate's
 * own log also prints every statement: far too much for a terminal). A failure
 * names the migration that failed.
 */
export async function migrateWithProgress(run: MigrateRun): Promise<{ ran: string[]; seconds: number }> {
  const say = run.say ?? progress;
  if (!existsSync(run.dir) || !statSync(run.dir).isDirectory()) {
    throw new CliError(`no migrations folder ${run.dir}; run \`rowscope generate\` first or pass --migrations-dir`);
  }
  // A connection problem reads better from pg itself than from the runner.
  const version = await withClient(run.url, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v);
  say(`${run.direction === 'down' ? 'reverting' : 'migrating'} (PostgreSQL ${version}, migrations in ${relative(process.cwd(), run.dir) || '.'})`);
  let current: string | undefined;
  const started = Date.now();
  try {
    const ran = await runMigrations({
      url: run.url,
      dir: run.dir,
      direction: run.direction,
      count: run.count,
      log: (text) => {
        const match = /^### MIGRATION (.+) \((UP|DOWN)\) ###$/.exec(text.trim());
        if (match) {
          current = match[1];
          say(`  ${match[2] === 'UP' ? 'applying' : 'reverting'} ${current}`);
        }
      },
    });
    return { ran, seconds: (Date.now() - started) / 1000 };
  } catch (error) {
    if (error instanceof MigrationError) throw new FailedMigration(current, error);
    throw error;
  }
}

export function migrationSummary(ran: string[], seconds: number, direction: 'up' | 'down' = 'up'): string {
  if (ran.length === 0) return direction === 'up' ? 'nothing to migrate: the database is up to date' : 'nothing to revert';
  return `${direction === 'up' ? 'applied' : 'reverted'} ${plural(ran.length, 'migration')} in ${seconds.toFixed(1)} s`;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply the pending migrations to DATABASE_URL (else to the embedded PostgreSQL in .rowscope/)')
    .option('--migrations-dir <dir>', MIGRATIONS_DIR_HELP, DEFAULT_MIGRATIONS_DIR)
    .option('--down', 'revert the most recent migration (or --count of them) instead')
    .option('--count <n>', 'how many migrations to apply (default: all pending) or revert (default: 1)', positiveInteger)
    .action(async (opts: { migrationsDir: string; down?: boolean; count?: number }) => {
      await withDatabase(async (db) => {
        const { ran, seconds } = await migrateWithProgress({ url: db.url, dir: opts.migrationsDir, direction: opts.down ? 'down' : 'up', count: opts.count });
        out(migrationSummary(ran, seconds, opts.down ? 'down' : 'up'));
      });
    });
}
