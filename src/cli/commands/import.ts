// rowscope import FILE (docs/reference.md): business units, users, teams, memberships,
// role assignments and shares from one JSON file or a folder of CSVs
// (src/import/read.ts), loaded in one transaction as the deployment
// administrator through the bulk SQL functions (src/import/load.ts), with a
// progress line per kind on stderr. All or nothing: any problem rolls it back.
import { Command } from 'commander';
import pg from 'pg';
import { importOrganization, ImportRefused } from '../../import/load.ts';
import { ImportInputError, readImport } from '../../import/read.ts';
import { withDatabase } from '../database.ts';
import { CliError, line } from '../errors.ts';
import { sql } from '../../sql/index.ts';
import { out, progress } from '../output.ts';

/** One line per problem: all but the last printed here, the last as the command's error. */
function asCliError(error: unknown): unknown {
  if (error instanceof ImportInputError) {
    for (const problem of error.problems.slice(0, -1)) progress(line(problem));
    return new CliError(error.problems.at(-1) ?? 'bad input');
  }
  if (error instanceof ImportRefused) return new CliError(error.message);
  return error;
}

export function importCommand(): Command {
  return new Command('import')
    .description('load business units, users, teams, memberships, role assignments and shares from JSON (or a folder with one CSV per kind), in one transaction')
    .argument('<file>', 'a JSON file, or a folder with business_units.csv, users.csv, teams.csv, memberships.csv, roles.csv, shares.csv')
    .addHelpText('after', [
      '',
      'JSON: {"business_units": [{"name", "parent"?}], "users": [{"db_role", "business_unit", "manager"?, "access_mode"?}],',
      '       "teams": [{"name", "business_unit", "team_type"?}], "memberships": [{"team", "user"}],',
      '       "roles": [{"user" | "team", "role", "business_unit"?, "inheritance"?}],',
      '       "shares": [{"table", "record_id", "user" | "team", "rights": [...]}]}',
      'Business units and teams are referred to by name, users by db_role (in the file or already in the database).',
      'CSV: a header row with the same keys; rights separated by spaces, ; or |.',
    ].join('\n'))
    .action(async (file: string) => {
      let data;
      try {
        data = readImport(file);
      } catch (error) {
        throw asCliError(error);
      }
      await withDatabase(async (db) => {
        const client = new pg.Client({ connectionString: db.url });
        client.on('error', () => {});
        await client.connect();
        const started = Date.now();
        try {
          await client.query(sql`begin`.text);
          const stats = await importOrganization(client, data, progress);
          await client.query(sql`commit`.text);
          const rows = stats.reduce((n, s) => n + s.rows, 0);
          out(`imported ${stats.map((s) => `${s.rows} ${s.kind.replace('_', ' ')}`).join(', ') || 'nothing'} ` +
              `(${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
        } catch (error) {
          await client.query(sql`rollback`.text).catch(() => {});
          throw asCliError(error);
        } finally {
          await client.end().catch(() => {});
        }
      });
    });
}
