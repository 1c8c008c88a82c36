// Authentication as a PostGraphile plugin (docs/graphql.md, "Authentication"),
// with no state outside the request:
// - grafserv `processRequest`: a request to the GraphQL endpoint opens its
//   database session from `Authorization: Bearer <jwt>` (src/server/session.ts)
//   or is answered 401 (GraphQL-shaped JSON body, RFC 6750 challenge) before
//   PostGraphile parses it; the session rides on the request's own
//   requestContext and is closed when the response is ready (it takes its
//   connection only at the first statement: src/server/session.ts);
// - grafast `prepareArgs`: the operation's withPgClient is the session's, so
//   every query of the request runs on that connection as that user. A request
//   without a session never reaches the database: the server's own login is
//   never a fallback.
import { AuthError } from './token.ts';
import type { OpenSession, RequestSession } from './session.ts';

declare global {
  namespace Grafast {
    interface RequestContext {
      /** Set by RowscopeAuthPlugin for requests to the GraphQL endpoint. */
      rowscopeSession?: RequestSession;
    }
  }
}

export function authPlugin(opts: { graphqlPath: string; openSession: OpenSession }): GraphileConfig.Plugin {
  const { graphqlPath, openSession } = opts;
  return {
    name: 'RowscopeAuthPlugin',
    description: 'each GraphQL request runs on a connection switched to its bearer token\'s user',
    version: '0.2.0',
    grafserv: {
      middleware: {
        async processRequest(next, event) {
          const digest = event.requestDigest;
          if (digest.path !== graphqlPath) return next();
          let session: RequestSession;
          try {
            session = await openSession(header(digest.headers, 'authorization'));
          } catch (error) {
            if (error instanceof AuthError) {
              const challenge = error.kind === 'missing' ? 'Bearer realm="rowscope"' : 'Bearer realm="rowscope", error="invalid_token"';
              return errors(401, error.message, { 'WWW-Authenticate': challenge });
            }
            console.error('rowscope: authentication failed unexpectedly', error);
            return errors(503, 'authentication is unavailable, try again later');
          }
          digest.requestContext.rowscopeSession = session;
          try {
            return await next();
          } finally {
            session.close();
          }
        },
      },
    },
    grafast: {
      middleware: {
        async prepareArgs(next, event) {
          const args = await next();
          const session = event.args.requestContext?.rowscopeSession;
          const context = args.contextValue as unknown as Record<string, unknown>;
          if (session) {
            context.withPgClient = session.withPgClient;
          } else {
            context.withPgClient = () => Promise.reject(new Error('rowscope: request reached PostGraphile without an authenticated user'));
          }
          return args;
        },
      },
    },
  };
}

function header(headers: Record<string, string>, name: string): string | undefined {
  // grafserv's node adaptor gives lower-case names; other adaptors may not.
  if (name in headers) return headers[name];
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

function errors(statusCode: number, message: string, headers: Record<string, string> = {}) {
  const buffer = Buffer.from(JSON.stringify({ errors: [{ message }] }));
  return {
    type: 'buffer' as const,
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': String(buffer.length), ...headers },
    buffer,
  };
}
