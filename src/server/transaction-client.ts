// `transaction` role scope (src/server/session.ts): the pg client that
// PostGraphile's adaptor drives for one request, in which every statement runs
// inside a transaction that acts as the request's user and ends before the
// statement's answer is handed back (docs/graphql.md, "Authentication").
//
// - A statement on its own (a read: PostGraphile runs queries without a
//   transaction) goes out with the role in one round trip and one implicit
//   transaction (src/server/role-query.ts), where a `begin` … `commit` around
//   it would take three (docs/performance.md, "GraphQL throughput").
// - PostGraphile's own transactions (mutations, and pgSettings) begin with
//   `begin`: that one is replaced by `begin; set local role …`, and everything
//   up to PostGraphile's `commit` or `rollback` passes through, in turn,
//   awaited, so a failed write surfaces before the response. If taking the
//   role fails, the aborted transaction is rolled back here (the adaptor rolls
//   back only once its `begin` succeeded).
// - So no session state survives a transaction, as PgBouncer's transaction
//   pooling needs (docs/operations.md, "PgBouncer").
//
// The adaptor uses only query, connection (its prepared-statement cache),
// escapeIdentifier and the notice listeners of the client it is given.
import type pg from 'pg';
import { queryAs, type RoleSetup } from './role-query.ts';

type Query = string | pg.QueryConfig;

/** A stand-in for `client` in which every statement acts as the setup's role: alone, or in a transaction opened by `begin`. */
export function transactionClient(client: pg.PoolClient, setup: RoleSetup, begin: string): pg.PoolClient {
  let inTransaction = false;

  async function open(): Promise<unknown> {
    try {
      return await client.query(begin);
    } catch (error) {
      // `set local role` failed after `begin`: the block is open and aborted.
      await client.query('rollback').catch(() => {});
      inTransaction = false;
      throw error;
    }
  }

  const stand: Partial<pg.PoolClient> = {
    connection: client.connection,
    escapeIdentifier: (name: string) => client.escapeIdentifier(name),
    addListener(event: string, listener: (...args: any[]) => void) {
      client.addListener(event, listener);
      return stand as pg.PoolClient;
    },
    removeListener(event: string, listener: (...args: any[]) => void) {
      client.removeListener(event, listener);
      return stand as pg.PoolClient;
    },
    query: ((query: Query) => {
      const text = typeof query === 'string' ? query : query.text;
      if (inTransaction) {
        if (text === 'commit' || text === 'rollback') inTransaction = false;
        return client.query(query as pg.QueryConfig);
      }
      if (text === 'begin') {
        inTransaction = true;
        return open();
      }
      return queryAs(client, setup, typeof query === 'string' ? { text: query } : query);
    }) as pg.PoolClient['query'],
  };
  return stand as pg.PoolClient;
}
