// `rowscope as ROLE -- "SQL"`: run SQL with exactly the privileges (and RLS
// visibility) of a user's database role.
import type pg from 'pg';
import { withClient } from './client.ts';

/**
 * Runs one statement `sqlText` as `role` inside one transaction and returns
 * its rows. set_config('role', $1, true) is SET LOCAL ROLE with the name
 * passed as a parameter (no quoting to get wrong); it ends with the
 * transaction, so nothing leaks into a reused connection.
 *
 * The statement goes through the extended protocol, which accepts exactly
 * one statement: `commit; select ...` or `reset role; ...` cannot slip out
 * of the role. (This is a viewing aid for someone who already holds the
 * superuser URL, not a security boundary.) It is committed, as the user's
 * own statement would be; a failure rolls everything back.
 */
export async function runAs(url: string, role: string, sqlText: string): Promise<Record<string, unknown>[]> {
  return withClient(url, async (client) => {
    await client.query('begin');
    try {
      await client.query("select set_config('role', $1, true)", [role]);
      // pg supports queryMode; @types/pg does not declare it yet.
      const result = await client.query({ text: sqlText, queryMode: 'extended' } as pg.QueryConfig);
      await client.query('commit');
      return result.rows;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  });
}
