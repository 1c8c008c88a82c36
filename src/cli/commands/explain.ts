// rowscope explain --user ROLE --table T --id ID: why (and why not) a user has
// each right on a record, from rowscope.explain_access, printed for people:
// granted rights first, then the denials with their reasons and fixes.
import { Command } from 'commander';
import pg from 'pg';
import { withDatabase } from '../database.ts';
import { CliError } from '../errors.ts';
import { out } from '../output.ts';

interface ExplainRow {
  access_right: string;
  granted: boolean;
  reasons: string[];
}

export interface ExplainReport {
  user: string;
  table: string;
  id: string;
  rights: ExplainRow[];
}

export async function explainFor(url: string, user: string, table: string, id: string): Promise<ExplainReport> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows: users } = await client.query<{ id: string }>('select id from rowscope.system_user where db_role = $1', [user]);
    if (users.length === 0) throw new CliError(`${user} is no rowscope user (no row in rowscope.system_user with that db_role)`);
    const { rows } = await client.query<ExplainRow>(
      'select access_right, granted, reasons from rowscope.explain_access($1, $2, $3)', [table, id, users[0]!.id]);
    return { user, table, id, rights: rows };
  } finally {
    await client.end();
  }
}

const WIDTH = 22;

/** Granted first, then denied; record rights before the field view. */
export function formatExplain(report: ExplainReport): string {
  const lines = [`${report.user} on ${report.table} ${report.id}`];
  const section = (title: string, rows: ExplainRow[]) => {
    if (rows.length === 0) return;
    lines.push('', title);
    for (const row of rows) {
      row.reasons.forEach((reason, i) => lines.push(`  ${(i === 0 ? row.access_right : '').padEnd(WIDTH)} ${reason}`));
    }
  };
  section('granted', report.rights.filter((r) => r.granted));
  section('denied', report.rights.filter((r) => !r.granted));
  return lines.join('\n');
}

export function explainCommand(): Command {
  return new Command('explain')
    .description('explain why a user has (or lacks) each right on a record, and what would grant it')
    .requiredOption('--user <role>', 'the user\'s database role (rowscope.system_user.db_role)')
    .requiredOption('--table <table>', 'the model table, e.g. account')
    .requiredOption('--id <id>', 'the record id')
    .option('--json', 'print the rows of rowscope.explain_access as JSON')
    .addHelpText('after', '\nExample:\n  rowscope explain --user bob --table account --id 0f3c…\n\nRuns as the deployment administrator (DATABASE_URL or the embedded database).')
    .action(async (opts: { user: string; table: string; id: string; json?: boolean }) => {
      if (!/^[0-9a-f-]{36}$/i.test(opts.id)) throw new CliError(`--id: '${opts.id}' is not a uuid`);
      await withDatabase(async (db) => {
        const report = await explainFor(db.url, opts.user, opts.table, opts.id);
        out(opts.json ? JSON.stringify(report, null, 2) : formatExplain(report));
      });
    });
}
