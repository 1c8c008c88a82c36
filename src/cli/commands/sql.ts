// rowscope sql -- "SQL": SQL as the deployment administrator, i.e. the login of
// DATABASE_URL (or the embedded cluster's superuser) with nothing switched:
// for creating users and business units, assigning roles, inspecting. Several
// statements may be given; they run in one transaction (the simple protocol's
// implicit one), each result printed like psql prints it.
import { Command } from 'commander';
import pg from 'pg';
import { withDatabase } from '../database.ts';
import { CliError } from '../errors.ts';
import { out } from '../output.ts';
import { formatOutput } from '../table.ts';

// Every value as PostgreSQL's own text output (what psql shows).
const AS_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function runAdminSql(url: string, text: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, types: AS_TEXT });
  client.on('error', () => {});
  await client.connect();
  try {
    const result = (await client.query({ text, rowMode: 'array' } as pg.QueryConfig)) as unknown as pg.QueryResult | pg.QueryResult[];
    return (Array.isArray(result) ? result : [result]).map((r) => formatOutput({
      command: r.command,
      rowCount: r.rowCount,
      columns: (r.fields ?? []).map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      rows: r.rows as unknown as (string | null)[][],
    }));
  } finally {
    await client.end().catch(() => {});
  }
}

export function sqlCommand(): Command {
  return new Command('sql')
    .description('run SQL as the deployment administrator (the login of DATABASE_URL, else the embedded PostgreSQL\'s superuser) and print the results like psql')
    .argument('[sql...]', 'the statements, after --; read from stdin when omitted')
    .addHelpText('after', [
      '',
      'Examples:',
      '  rowscope sql -- "select rowscope.create_user(\'alice\', rowscope.root_business_unit())"',
      '  rowscope sql -- "select name, parent_id from rowscope.business_unit"',
      '  rowscope sql < setup.sql',
      '',
      'Several statements run in one transaction: all of them or none. To see what a user sees, use `rowscope as`.',
    ].join('\n'))
    .action(async (words: string[]) => {
      let text = words.join(' ').trim();
      if (!text && !process.stdin.isTTY) text = (await readStdin()).trim();
      if (!text) throw new CliError('no SQL given; write it after --, e.g. rowscope sql -- "select count(*) from rowscope.system_user"');
      await withDatabase(async (db) => {
        const outputs = await runAdminSql(db.url, text);
        out(outputs.join('\n\n'));
      });
    });
}
