// One GraphQL request's database session: a connection of the request pool,
// switched to the token's user with one round trip, and kept for the request
// (docs/graphql.md, "Authentication").
//
// The round trip is one simple-protocol query of three statements:
//   set role <user>; set effective_cache_size = … (or reset); select rowscope._sv_me()
// PostgreSQL lets rowscope_authenticator take only the roles granted to it
// (the users', sql/071_admin_users.sql). rowscope._sv_me() (sql/500) answers,
// as the role just taken, the id of the rowscope user acting — null when that
// user is disabled — read at this statement's snapshot. The request goes on
// only when that id is the token's `sub`: so the role (remembered by
// src/server/users.ts) is the token's user, and the user is enabled now; a
// disabled user is refused from their next request on, and the database
// refuses a disabled user's statements in any case (sql/071 disable_user).
//
// The role is set for the session, not per transaction: a read is then one
// statement with no BEGIN/COMMIT around it (three round trips fewer than
// set_config(…, true) in a transaction per query). This is safe because the
// request pool is used by nothing but this module, and every request's first
// statement on a connection is the switch above; a connection whose switch
// failed is destroyed, not returned. Mutations still run in their own
// transaction (PostGraphile's withTransaction).
import type pg from 'pg';
import { makeWithPgClientViaPgClientAlreadyInTransaction } from 'postgraphile/adaptors/pg';
import { ident, lit, sql } from '../sql/index.ts';
import { AuthError, type VerifyToken } from './token.ts';
import type { SystemUser, UserCache } from './users.ts';

type WithPgClient = ReturnType<typeof makeWithPgClientViaPgClientAlreadyInTransaction>;

export interface RequestSession {
  userId: string;
  dbRole: string;
  /** PostGraphile's withPgClient for this request (src/server/auth.ts puts it on the context). */
  withPgClient: WithPgClient;
  /** Gives the connection back; later queries of the request (none expected) get one of their own. */
  close(): void;
}

export type OpenSession = (authorization: string | undefined) => Promise<RequestSession>;

/** Resolves to the request's session, or rejects with an AuthError (401) or anything else (503). */
export function sessionOpener(opts: { pool: pg.Pool; verify: VerifyToken; users: UserCache }): OpenSession {
  const { pool, verify, users } = opts;

  /** A connection switched to `user` whose check passed, or null (then released) when it did not. */
  async function switched(userId: string, user: SystemUser): Promise<pg.PoolClient | null> {
    const client = await pool.connect();
    try {
      const results = (await client.query(switchTo(user))) as unknown as pg.QueryResult<{ me: string | null }>[];
      if (results[results.length - 1]!.rows[0]?.me === userId) return client;
      client.release();
      return null;
    } catch (error) {
      // 42501: the role may not be taken (any more), or may not call the check.
      // Either way this connection's state is unknown: destroy it.
      client.release(error instanceof Error ? error : true);
      if ((error as { code?: string }).code === '42501' || (error as { code?: string }).code === '22023') return null;
      throw error;
    }
  }

  return async (authorization) => {
    const userId = await verify(bearerToken(authorization));
    let user = await users.get(userId);
    let client = user && !user.isDisabled ? await switched(userId, user) : null;
    if (!client) {
      // Remembered wrongly, or the user changed since: ask the catalog, then try once more.
      user = await users.refresh(userId);
      if (!user) throw new AuthError('the token names no rowscope user');
      if (user.isDisabled) throw new AuthError('the user is disabled');
      client = await switched(userId, user);
      if (!client) throw new AuthError('the token\'s user cannot act now');
    }
    return open(client, userId, user!, () => switched(userId, user!));
  };
}

function open(client: pg.PoolClient, userId: string, user: SystemUser, reopen: () => Promise<pg.PoolClient | null>): RequestSession {
  let held: pg.PoolClient | null = client;
  const withHeld = makeWithPgClientViaPgClientAlreadyInTransaction(client, false);
  const withPgClient = (async (pgSettings, callback) => {
    if (held) return withHeld(pgSettings, callback);
    // After close(): a connection of its own for this one call, switched and checked the same way.
    const own = await reopen();
    if (!own) throw new AuthError('the token\'s user cannot act now');
    try {
      return await makeWithPgClientViaPgClientAlreadyInTransaction(own, false)(pgSettings, callback);
    } finally {
      own.release();
    }
  }) as WithPgClient;
  withPgClient.release = () => {};
  return {
    userId,
    dbRole: user.dbRole,
    withPgClient,
    close() {
      if (!held) return;
      held.release();
      held = null;
    },
  };
}

/** The switch and the check, as one round trip (literals quoted by the sql tag: no parameters in a multi-statement query). */
function switchTo(user: SystemUser): string {
  const cache = user.effectiveCacheSize === null
    ? sql`reset effective_cache_size`
    : sql`set effective_cache_size = ${lit(user.effectiveCacheSize)}`;
  return sql`set role ${ident(user.dbRole)}; ${cache}; select rowscope._sv_me()::text as me`.text;
}

export function bearerToken(header: string | undefined): string {
  if (!header) throw new AuthError('missing Authorization: Bearer <token> header', 'missing');
  const match = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*) *$/i.exec(header);
  if (!match) throw new AuthError('the Authorization header is not "Bearer <jwt>"');
  return match[1]!;
}
