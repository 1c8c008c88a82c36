// `rowscope as ROLE -- "SQL"`: one statement run with exactly the privileges
// and row visibility of a user's database role, on the connection of
// src/db/as-user.ts (a throw-away login that can only become the user, so the
// SQL cannot get back to the administrator), through the extended protocol so
// only one statement is accepted; keeping what a table printout needs: column
// names and types in order, values as text, the command tag.
import pg from 'pg';
import { withClient } from '../db/client.ts';
import { withUserConnection } from '../db/as-user.ts';
import { CliError } from './errors.ts';
import type { QueryOutput } from './table.ts';

// Every value as PostgreSQL's own text output (what psql shows).
const AS_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

async function knownUsers(client: pg.Client): Promise<string[]> {
  try {
    const { rows } = await client.query<{ db_role: string }>('select db_role from rowscope.system_user order by db_role limit 30');
    return rows.map((r) => r.db_role);
  } catch {
    return []; // no rowscope schema here
  }
}

async function isRowscopeUser(client: pg.Client, role: string): Promise<boolean | undefined> {
  try {
    const { rows } = await client.query('select 1 from rowscope.system_user where db_role = $1', [role]);
    return rows.length > 0;
  } catch {
    return undefined;
  }
}

export interface AsOutcome extends QueryOutput {
  /** false when the role exists but is no rowscope user (it sees nothing of the model). */
  rowscopeUser: boolean | undefined;
}

export async function queryAs(url: string, role: string, text: string): Promise<AsOutcome> {
  const rowscopeUser = await withClient(url, async (client) => {
    const exists = await client.query<{ unrestricted: boolean }>('select rolsuper or rolbypassrls as unrestricted from pg_roles where rolname = $1', [role]);
    if (exists.rows[0]?.unrestricted) {
      // `rowscope as postgres` used to be the way to run admin SQL; that is `rowscope sql` now.
      throw new CliError(`${role} bypasses row-level security, so it shows no user's view; to run SQL as the deployment administrator use \`rowscope sql -- "..."\``);
    }
    if (exists.rows.length === 0) {
      const users = await knownUsers(client);
      throw new CliError(`no database role "${role}"${users.length ? `; the rowscope users are: ${users.join(', ')}` : ''}`);
    }
    return isRowscopeUser(client, role);
  });
  try {
    return await withUserConnection(url, role, async (client) => {
      const result = await client.query({ text, rowMode: 'array', queryMode: 'extended' } as pg.QueryConfig);
      return {
        command: result.command,
        rowCount: result.rowCount,
        columns: result.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        rows: result.rows as unknown as (string | null)[][],
        rowscopeUser,
      };
    }, { clientConfig: { types: AS_TEXT } });
  } catch (error) {
    if ((error as { code?: string }).code === '42601' && /multiple commands/.test((error as Error).message)) {
      throw new CliError('rowscope as runs one statement at a time; run each statement separately');
    }
    throw error;
  }
}
