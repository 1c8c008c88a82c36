// The node http request handler: requests to the GraphQL endpoint are
// authenticated first (401 with a GraphQL-shaped JSON body when that fails);
// /admin is the admin console's static files (src/server/console.ts; the
// console authenticates through /graphql like any client); everything else
// (Ruru and its assets in development) goes straight to grafserv.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Authenticate } from './auth.ts';
import { CONSOLE_PATH, serveConsole } from './console.ts';
import { AuthError } from './token.ts';

export function requestHandler(opts: {
  graphqlPath: string;
  authenticate: Authenticate;
  grafserv: (req: IncomingMessage, res: ServerResponse) => void;
}): RequestListener {
  const { graphqlPath, authenticate, grafserv } = opts;
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`)) return serveConsole(req, res, path);
    if (path !== graphqlPath) return grafserv(req, res);
    authenticate(req).then(
      () => grafserv(req, res),
      (error: unknown) => {
        if (error instanceof AuthError) {
          const challenge = error.kind === 'missing' ? 'Bearer realm="rowscope"' : 'Bearer realm="rowscope", error="invalid_token"';
          sendErrors(res, 401, error.message, { 'WWW-Authenticate': challenge });
        } else {
          console.error('rowscope: authentication failed unexpectedly', error);
          sendErrors(res, 503, 'authentication is unavailable, try again later');
        }
      },
    );
  };
}

function sendErrors(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const body = JSON.stringify({ errors: [{ message }] });
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
}
