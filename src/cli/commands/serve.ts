// rowscope serve: the GraphQL server of docs/graphql.md (src/server). The server
// module is imported only when a command starts it: PostGraphile is slow to load,
// and Grafast reads GRAPHILE_ENV when it does.
import { Command, InvalidArgumentError } from 'commander';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withDatabase } from '../database.ts';
import { CliError } from '../errors.ts';
import { out, progress } from '../output.ts';
import { untilInterrupted } from '../signals.ts';
import { environmentOptions } from '../../server/config.ts';

// index.ts when running from the sources, index.js in the compiled build (dist/).
const EXTENSION = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
export const SERVER_MODULE = fileURLToPath(new URL(`../../server/index.${EXTENSION}`, import.meta.url));

/** The contract of src/server/index.ts. */
export interface StartServerOptions {
  databaseUrl: string;
  port?: number;
  host?: string;
  jwtSecret?: string;
  production?: boolean;
  /** Development: the Authorization header Ruru opens with, by `?as=` (src/server/ruru.ts). */
  ruruAuthorization?: (as: string | undefined) => Promise<string | undefined>;
  /** size of the request pool */
  maxConnections?: number;
  /** requests log in as rowscope_authenticator with this password (src/server/login.ts) */
  authenticatorPassword?: string;
}
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}
export type StartServer = (opts: StartServerOptions) => Promise<RunningServer>;

/** startServer from src/server (imported on first use). */
export async function loadServer(): Promise<StartServer> {
  return ((await import(pathToFileURL(SERVER_MODULE).href)) as { startServer: StartServer }).startServer;
}

export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number');
  return n;
}

export function poolSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected a whole number from 1 to 1000');
  return n;
}

/** Is `port` free on `host`? Checked before slow work (the demo's seeding), so a busy port fails first. */
export async function requireFreePort(port: number, host: string, option = '--port'): Promise<void> {
  const { createServer } = await import('node:net');
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is in use (another rowscope demo or serve?)' : `cannot be used (${error.code ?? error.message})`;
      reject(new CliError(`port ${port} on ${host} ${why}; pick another with ${option} <port>`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

interface ServeOpts {
  host?: string;
  port?: number;
  poolSize?: number;
  production?: boolean;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the GraphQL API over the api views; each request runs as the user its JWT names (ROWSCOPE_JWT_SECRET or ROWSCOPE_JWKS_URL)')
    .option('--host <host>', 'interface to listen on; 0.0.0.0 in a container (env HOST; default localhost)')
    .option('--port <port>', 'HTTP port (env PORT; default 5678)', portNumber)
    .option('--pool-size <n>', 'connections of the request pool (env ROWSCOPE_POOL_SIZE; default 10)', poolSize)
    .option('--production', 'production settings: no introspection unless enabled, no stack traces in errors (also NODE_ENV=production)')
    .addHelpText('after', [
      '',
      'Environment: DATABASE_URL (the server\'s login, rowscope_authenticator in production),',
      'ROWSCOPE_ADMIN_DATABASE_URL (a login that may read the rowscope catalog, to look users up),',
      'ROWSCOPE_JWT_SECRET or ROWSCOPE_JWKS_URL, ROWSCOPE_JWT_ISSUER, ROWSCOPE_JWT_AUDIENCE,',
      'ROWSCOPE_ROLE_SCOPE=session (direct connections only: faster; the default, transaction, is PgBouncer-safe).',
      '',
      'In a container:  HOST=0.0.0.0 PORT=8080 ROWSCOPE_POOL_SIZE=20 rowscope serve --production',
    ].join('\n'))
    .action(async (opts: ServeOpts) => {
      // The server's one reading of the environment (src/server/config.ts); the flags win.
      let env: ReturnType<typeof environmentOptions>;
      try {
        env = environmentOptions(process.env);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      const host = opts.host ?? env.host ?? 'localhost';
      const port = opts.port ?? env.port ?? 5678;
      const maxConnections = opts.poolSize ?? env.maxConnections ?? 10;
      const production = opts.production ?? env.production ?? false;
      // Grafast reads it when it loads: decide before importing the server.
      process.env.GRAPHILE_ENV ??= production ? 'production' : 'development';
      const startServer = await loadServer();
      // before any embedded cluster starts: a busy port is the commonest failure
      if (port !== 0) await requireFreePort(port, host);
      await withDatabase(async (db) => {
        progress('starting the GraphQL server');
        const server = await startServer({
          databaseUrl: db.url,
          host,
          port,
          production,
          maxConnections,
        });
        out(`GraphQL server at ${server.url} (Ctrl-C stops it)`);
        await untilInterrupted();
        progress('stopping');
        await server.close();
      });
    });
}
