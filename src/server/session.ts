// One GraphQL request's database session: a connection of the request pool,
// acting as the token's user, kept for the request (docs/graphql.md,
// "Authentication").
//
// Every request is checked afresh: its token (src/server/token.ts), then its
// user, looked up for this request (batched with the requests that arrived
// meanwhile, src/server/users.ts): unknown or disabled users get 401 from the
// first request after the change. (The database refuses a disabled user's
// statements by itself as well: sql/071 disable_user.)
//
// Where the role is set (`roleScope`, ROWSCOPE_ROLE_SCOPE):
// - `transaction` (the default): each statement of the request runs in its
//   own transaction acting as the user: a read is sent together with
//   `set_config('role', <user>, true)` in one round trip and one implicit
//   transaction (src/server/role-query.ts), a mutation's transaction opens
//   with `begin; set local role <user>; set local effective_cache_size = …`
//   (src/server/transaction-client.ts), so the connection is back to its
//   login whenever it waits. Safe behind
//   PgBouncer in transaction pooling mode, where consecutive statements of one
//   client may run on different server connections (docs/operations.md,
//   "PgBouncer").
// - `session` (direct connections only): the role is set for the session, and
//   only when the connection acts as someone else: `set role <user>; set
//   effective_cache_size = …` (or reset), one round trip, and none when the
//   connection last served the same user. A read is then one statement with
//   no BEGIN/COMMIT around it, as in plain PostGraphile (docs/performance.md,
//   "GraphQL throughput"). Behind a transaction pooler this would run one
//   user's statements with another's role: never use it there. It is safe on
//   direct connections because:
// - the request pool is used by nothing but this module, and every request
//   makes its connection act as its own user before anything else runs on it;
// - what a connection acts as is remembered here only after the switch
//   succeeded; a connection whose switch failed is destroyed, not returned;
// - nothing a request can run changes the session's role: the GraphQL schema
//   exposes the api views and rowscope's public functions only
//   (src/server/smart-tags.ts), and PostgreSQL forbids SET ROLE inside the
//   security-definer functions;
// - PostgreSQL lets rowscope_authenticator take only the roles granted to it
//   (the users', sql/071_admin_users.sql).
// Mutations run in their own transaction in both (PostGraphile's withTransaction,
// opened as the user in `transaction` scope). A connection that comes back from
// a request inside a transaction (never expected) is destroyed, not pooled.
import type pg from 'pg';
import { makeWithPgClientViaPgClientAlreadyInTransaction } from 'postgraphile/adaptors/pg';
import { empty, ident, lit, sql } from '../sql/index.ts';
import { AuthError, type VerifyToken } from './token.ts';
import { roleSetup } from './role-query.ts';
import { transactionClient } from './transaction-client.ts';
import type { FindUser, SystemUser } from './users.ts';

type WithPgClient = ReturnType<typeof makeWithPgClientViaPgClientAlreadyInTransaction>;

export interface RequestSession {
  userId: string;
  dbRole: string;
  /** PostGraphile's withPgClient for this request (src/server/auth.ts puts it on the context). */
  withPgClient: WithPgClient;
  /** Gives the connection back; a query of the request after this (none expected) gets a connection of its own. */
  close(): void;
}

export type OpenSession = (authorization: string | undefined) => Promise<RequestSession>;

export type RoleScope = 'transaction' | 'session';

/** Resolves to the request's session, or rejects with an AuthError (401) or anything else (503). */
export function sessionOpener(opts: { pool: pg.Pool; verify: VerifyToken; findUser: FindUser; roleScope: RoleScope }): OpenSession {
  const { pool, verify, findUser, roleScope } = opts;
  /** What each connection of the pool acts as now (see switchTo). */
  const actingAs = new WeakMap<pg.PoolClient, string>();

  async function connectAs(user: SystemUser): Promise<pg.PoolClient> {
    const client = await pool.connect();
    if (roleScope === 'transaction') return client;
    const wanted = switchTo(user);
    if (actingAs.get(client) === wanted) return client;
    actingAs.delete(client);
    try {
      await client.query(wanted);
    } catch (error) {
      // The session's state is unknown now: the connection is destroyed.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    actingAs.set(client, wanted);
    return client;
  }

  return async (authorization) => {
    const userId = await verify(bearerToken(authorization));
    const user = await findUser(userId);
    if (!user) throw new AuthError('the token names no rowscope user');
    if (user.isDisabled) throw new AuthError('the user is disabled');
    const onClient = roleScope === 'session' ? onSessionClient : onTransactionClient(user);
    return open(userId, user, onClient, () => connectAs(user));
  };
}

type OnClient = (client: pg.PoolClient) => WithPgClient;

const onSessionClient: OnClient = (client) => makeWithPgClientViaPgClientAlreadyInTransaction(client, false);

/** Each statement in a transaction of its own, acting as `user` in it (src/server/transaction-client.ts). */
function onTransactionClient(user: SystemUser): OnClient {
  const setup = roleSetup(user.dbRole, user.effectiveCacheSize);
  const begin = beginAs(user);
  return (client) => makeWithPgClientViaPgClientAlreadyInTransaction(transactionClient(client, setup, begin), false);
}

/**
 * The request's connection is taken at its first statement, not when the
 * session opens: until grafserv has read and parsed the body a request holds
 * no connection, so a client that sends its body slowly, or goes away before
 * it (grafserv then never finishes the request, and close() never comes),
 * pins none of the pool's.
 */
function open(userId: string, user: SystemUser, onClient: OnClient, connect: () => Promise<pg.PoolClient>): RequestSession {
  let held: Promise<{ client: pg.PoolClient; withClient: WithPgClient }> | null = null;
  let closed = false;
  const withPgClient = (async (pgSettings, callback) => {
    if (!closed) {
      held ??= connect().then((client) => ({ client, withClient: onClient(client) }));
      return (await held).withClient(pgSettings, callback);
    }
    const own = await connect();
    try {
      return await onClient(own)(pgSettings, callback);
    } finally {
      giveBack(own);
    }
  }) as WithPgClient;
  withPgClient.release = () => {};
  return {
    userId,
    dbRole: user.dbRole,
    withPgClient,
    close() {
      if (closed) return;
      closed = true;
      // A failed connect has nothing to give back (connectAs released or destroyed it).
      held?.then(({ client }) => giveBack(client), () => {});
    },
  };
}

/** Back to the pool if idle (ReadyForQuery said so last), otherwise destroyed. */
function giveBack(client: pg.PoolClient): void {
  client.release(client.getTransactionStatus() === 'I' ? undefined : true);
}

/**
 * The statements that make a connection act as `user` (literals quoted by the
 * sql tag), also the key of what it acts as: role and planner setting.
 */
function switchTo(user: SystemUser): string {
  const cache = user.effectiveCacheSize === null
    ? sql`reset effective_cache_size`
    : sql`set effective_cache_size = ${lit(user.effectiveCacheSize)}`;
  return sql`set role ${ident(user.dbRole)}; ${cache}`.text;
}

/** `transaction` scope: the request's transaction, acting as `user` until it ends. */
function beginAs(user: SystemUser): string {
  const cache = user.effectiveCacheSize === null ? empty : sql`; set local effective_cache_size = ${lit(user.effectiveCacheSize)}`;
  return sql`begin; set local role ${ident(user.dbRole)}${cache}`.text;
}

export function bearerToken(header: string | undefined): string {
  if (!header) throw new AuthError('missing Authorization: Bearer <token> header', 'missing');
  const match = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*) *$/i.exec(header);
  if (!match) throw new AuthError('the Authorization header is not "Bearer <jwt>"');
  return match[1]!;
}
