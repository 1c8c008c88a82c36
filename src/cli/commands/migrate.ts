// rowscope migrate: apply (or revert) node-pg-migrate migrations.
import { Command, InvalidArgumentError } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { withClient } from '../../db/client.ts';
import { MigrationError, runMigrations } from '../../db/migrate.ts';
import { withDatabase } from '../database.ts';
import { CliError, FailedMigration } from '../errors.ts';
import { migrationStatus, planDown } from '../migration-plan.ts';
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
  requireMigrationsDir(run.dir);
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
      notice: say,
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

/** Fails before anything is started when the folder is missing (no embedded cluster for nothing). */
export function requireMigrationsDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CliError(`no migrations folder ${dir}; run \`rowscope generate\` first or pass --migrations-dir`);
  }
}

interface MigrateOpts {
  migrationsDir: string;
  down?: boolean;
  count?: number;
  status?: boolean;
  dropSecurityData?: boolean;
}

/** Refuses a down that would delete security data or audit rows, naming what it would delete. */
async function checkDown(url: string, opts: MigrateOpts): Promise<void> {
  const plan = await planDown(url, opts.migrationsDir, opts.count ?? 1);
  if (plan.losses.length === 0) return;
  const what = plan.losses.map((l) => l.text).join(', ');
  const reverting = plan.migrations.join(', ');
  if (opts.dropSecurityData) {
    progress(`--drop-security-data: reverting ${reverting} deletes ${what}`);
    return;
  }
  throw new CliError(`migrate --down would delete ${what} (reverting ${reverting}); back them up, then pass --drop-security-data to revert anyway`);
}

export function migrateCommand(): Command {
  return new Command('migrate')
    .description('apply the pending migrations to DATABASE_URL (else to the embedded PostgreSQL in .rowscope/)')
    .option('--migrations-dir <dir>', MIGRATIONS_DIR_HELP, DEFAULT_MIGRATIONS_DIR)
    .option('--status', 'print each migration with `applied` or `pending`, and change nothing')
    .option('--down', 'revert the most recent migration (or --count of them) instead; refuses when that would delete security data or audit rows')
    .option('--count <n>', 'how many migrations to apply (default: all pending) or revert (default: 1)', positiveInteger)
    .option('--drop-security-data', 'with --down: revert even though it deletes users, business units, role assignments, shares or audit rows')
    .addHelpText('after', [
      '',
      'Examples:',
      '  rowscope migrate                      apply every pending migration',
      '  rowscope migrate --status             one line per migration: its name and applied or pending',
      '  rowscope migrate --down               revert the last migration (a model change keeps every row)',
      '  rowscope migrate --down --drop-security-data',
      '                                        revert the init migration: deletes the rowscope schema and its data',
    ].join('\n'))
    .action(async (opts: MigrateOpts) => {
      if (opts.status && (opts.down || opts.count !== undefined)) throw new CliError('--status only reports; leave out --down and --count');
      if (opts.dropSecurityData && !opts.down) throw new CliError('--drop-security-data goes with --down');
      requireMigrationsDir(opts.migrationsDir);
      await withDatabase(async (db) => {
        if (opts.status) {
          const lines = await migrationStatus(db.url, opts.migrationsDir);
          if (lines.length === 0) out(`no migrations in ${opts.migrationsDir}`);
          const width = Math.max(0, ...lines.map((l) => l.name.length));
          for (const l of lines) out(`${l.name.padEnd(width)}  ${l.state}`);
          return;
        }
        if (opts.down) await checkDown(db.url, opts);
        const { ran, seconds } = await migrateWithProgress({ url: db.url, dir: opts.migrationsDir, direction: opts.down ? 'down' : 'up', count: opts.count });
        out(migrationSummary(ran, seconds, opts.down ? 'down' : 'up'));
      });
    });
}
