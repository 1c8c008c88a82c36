// `transaction` role scope (src/server/session.ts): the pg client that
// PostGraphile's adaptor drives for one request, on a pooled connection in
// pg's pipeline mode (src/server/index.ts), where every statement runs inside
// a transaction that acts as the request's user and ends before the statement's
// answer is handed back (docs/graphql.md, "Authentication").
//
// - A statement on its own (a read: PostGraphile runs queries without a
//   transaction) is sent as three messages in ONE write, without waiting in
//   between: `begin; set local role <user>; …` (a simple query), the
//   statement (extended protocol, prepared as PostGraphile names it), and
//   `commit`. One round trip, where a sequential client needs three
//   (docs/performance.md, "GraphQL throughput"). The server runs them in
//   order: if the role cannot be taken, the transaction is aborted, so the
//   statement fails (25P02) without running and the `commit` rolls back; the
//   error reported is the first one, the role's.
// - PostGraphile's own transactions (mutations, and pgSettings) begin with
//   `begin`: that one is replaced by the same `begin; set local role …`, and
//   everything up to PostGraphile's `commit` or `rollback` passes through, in
//   turn, awaited, so a failed write still surfaces before the response. If
//   taking the role fails, the aborted transaction is rolled back here (the
//   adaptor rolls back only once its `begin` succeeded).
// - So no session state survives a transaction, as PgBouncer's transaction
//   pooling needs (docs/operations.md, "PgBouncer"): each transaction is sent
//   whole, in order, and `set local` ends with it.
//
// The adaptor uses only query, connection (its prepared-statement cache),
// escapeIdentifier and the notice listeners of the client it is given.
import type pg from 'pg';

type Query = string | pg.QueryConfig;

/** A stand-in for `client` in which every statement runs in a transaction opened by `begin` (the role's). */
export function transactionClient(client: pg.PoolClient, begin: string): pg.PoolClient {
  if (!client.pipeline) throw new Error('rowscope: the transaction role scope needs a request pool in pipeline mode');
  let inTransaction = false;

  async function alone(query: Query): Promise<unknown> {
    const stream = client.connection.stream;
    // One write for the three messages (pg writes each query as it is queued).
    stream.cork();
    let sent: Array<Promise<unknown>>;
    try {
      sent = [client.query(begin), client.query(query as pg.QueryConfig), client.query('commit')];
    } finally {
      stream.uncork();
    }
    const [opened, answered, ended] = await Promise.allSettled(sent);
    for (const step of [opened!, answered!, ended!]) if (step.status === 'rejected') throw step.reason;
    return (answered as PromiseFulfilledResult<unknown>).value;
  }

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
      return alone(query);
    }) as pg.PoolClient['query'],
  };
  return stand as pg.PoolClient;
}
