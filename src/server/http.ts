// The node http request handler: /admin is the admin console's static files
// (src/server/console.ts; the console authenticates through /graphql like any
// client); everything else goes to grafserv, where the GraphQL endpoint
// authenticates each request itself (src/server/auth.ts) and, in development,
// Ruru and its assets are served.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { CONSOLE_PATH, serveConsole } from './console.ts';

export function requestHandler(opts: { grafserv: (req: IncomingMessage, res: ServerResponse) => void }): RequestListener {
  const { grafserv } = opts;
  return (req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`)) return serveConsole(req, res, path);
    return grafserv(req, res);
  };
}
