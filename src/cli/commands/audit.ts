// rowscope audit verify | purge: the audit log's hash chain (sql/230_audit_verify_purge.sql),
// checked or trimmed as the deployment administrator.
import { Command, InvalidArgumentError } from 'commander';
import { withClient } from '../../db/client.ts';
import { lit, sql } from '../../sql/index.ts';
import { withDatabase } from '../database.ts';
import { out } from '../output.ts';
import { plural } from './shared.ts';

interface Problem { id: string | null; problem: string }

/** Problems verify_audit() reports (empty: the chain is intact) and how many rows it covered. */
export async function verifyAudit(url: string): Promise<{ problems: Problem[]; rows: number }> {
  return withClient(url, async (c) => {
    const problems = (await c.query<Problem>(sql`select id::text as id, problem from rowscope.verify_audit()`.text)).rows;
    const rows = Number((await c.query<{ n: string }>(sql`select count(*) as n from rowscope.audit_log`.text)).rows[0]!.n);
    return { problems, rows };
  });
}

function timestamp(value: string): string {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected a timestamp, e.g. 2026-01-01 or 2026-01-01T00:00:00Z');
  return value;
}

function verifyCommand(): Command {
  return new Command('verify')
    .description('check the audit log\'s hash chain (rowscope.verify_audit()); exit code 1 when it finds a problem')
    .action(async () => {
      await withDatabase(async (db) => {
        const { problems, rows } = await verifyAudit(db.url);
        if (problems.length === 0) {
          out(`audit chain intact: ${plural(rows, 'row')} verified`);
          return;
        }
        for (const p of problems) process.stderr.write(`rowscope: audit ${p.id === null ? 'chain' : `row ${p.id}`}: ${p.problem}\n`);
        process.exitCode = 1;
      });
    });
}

function purgeCommand(): Command {
  return new Command('purge')
    .description('delete the audit rows older than --before (rowscope.purge_audit()); the chain stays verifiable')
    .option('--before <timestamp>', 'delete rows logged before this time (default: now, i.e. all of them)', timestamp)
    .addHelpText('after', '\nExample: rowscope audit purge --before 2025-01-01   (keep the last year or so)')
    .action(async (opts: { before?: string }) => {
      await withDatabase(async (db) => {
        const before = opts.before === undefined ? sql`now()` : sql`${lit(opts.before)}::timestamptz`;
        const purged = await withClient(db.url, async (c) =>
          (await c.query<{ n: string; before: string }>(sql`select rowscope.purge_audit(t) as n, t::text as before from (select ${before} as t) s`.text)).rows[0]!);
        out(`purged ${plural(Number(purged.n), 'audit row')} logged before ${purged.before}`);
      });
    });
}

export function auditCommand(): Command {
  const audit = new Command('audit')
    .description('the audit log: verify its hash chain, purge old rows')
    .addCommand(verifyCommand())
    .addCommand(purgeCommand());
  return audit;
}
