// Authentication of one HTTP request: `Authorization: Bearer <jwt>` → the
// database role the request runs as. Runs before PostGraphile sees the request;
// the role is remembered per request object for pgSettings (see preset.ts).
import type { IncomingMessage } from 'node:http';
import { AuthError, type VerifyToken } from './token.ts';
import type { FindUser, SystemUser } from './users.ts';

const users = new WeakMap<IncomingMessage, SystemUser>();

export type Authenticate = (req: IncomingMessage) => Promise<string>;

/** Resolves to the user's db_role (and records it for the request), or rejects with an AuthError. */
export function authenticator(verify: VerifyToken, findUser: FindUser): Authenticate {
  return async (req) => {
    const token = bearerToken(req.headers.authorization);
    const userId = await verify(token);
    const user = await findUser(userId);
    if (!user) throw new AuthError('the token names no rowscope user');
    if (user.isDisabled) throw new AuthError('the user is disabled');
    users.set(req, user);
    return user.dbRole;
  };
}

/**
 * The planner settings the user's own login would get (ALTER ROLE … SET, kept
 * by rowscope per access class, sql/050): SET ROLE does not apply them, so the
 * server sets them per request.
 */
export function loginSettingsOf(req: IncomingMessage | undefined): Record<string, string> {
  const ecs = req ? users.get(req)?.effectiveCacheSize : undefined;
  return ecs ? { effective_cache_size: ecs } : {};
}

/** The role authenticate() recorded for this request; throws when there is none. */
export function roleOf(req: IncomingMessage | undefined): string {
  const role = req ? users.get(req)?.dbRole : undefined;
  // Never fall back to the server's own login: an unauthenticated request must not run.
  if (!role) throw new Error('rowscope: request reached PostGraphile without an authenticated user');
  return role;
}

function bearerToken(header: string | undefined): string {
  if (!header) throw new AuthError('missing Authorization: Bearer <token> header', 'missing');
  const match = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*) *$/i.exec(header);
  if (!match) throw new AuthError('the Authorization header is not "Bearer <jwt>"');
  return match[1]!;
}
