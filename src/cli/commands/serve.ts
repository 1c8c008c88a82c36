// rowscope serve: the GraphQL server of SPEC §6 (src/server). Registered only
// when src/server/index.ts is present (see main.ts).
import { Command, InvalidArgumentError } from 'commander';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { withDatabase } from '../database.ts';
import { CliError } from '../errors.ts';
import { out, progress } from '../output.ts';
import { untilInterrupted } from '../signals.ts';

export const SERVER_MODULE = fileURLToPath(new URL('../../server/index.ts', import.meta.url));

/** The contract of src/server/index.ts. */
export interface StartServerOptions {
  databaseUrl: string;
  port?: number;
  jwtSecret?: string;
  production?: boolean;
  /** requests log in as rowscope_authenticator with this password (src/server/login.ts) */
  authenticatorPassword?: string;
}
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}
export type StartServer = (opts: StartServerOptions) => Promise<RunningServer>;

/** startServer from src/server, or undefined when the server is not there (yet). */
export async function loadServer(): Promise<StartServer | undefined> {
  try {
    const mod = (await import(pathToFileURL(SERVER_MODULE).href)) as { startServer?: StartServer };
    return typeof mod.startServer === 'function' ? mod.startServer : undefined;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('server/index.ts')) return undefined;
    throw error;
  }
}

export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number');
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the GraphQL API over the api views; each request runs as the user its JWT names (ROWSCOPE_JWT_SECRET or ROWSCOPE_JWKS_URL)')
    .option('--port <port>', 'HTTP port', portNumber, 5678)
    .option('--production', 'production settings: no introspection unless enabled, no stack traces in errors')
    .action(async (opts: { port: number; production?: boolean }) => {
      const production = opts.production ?? process.env.NODE_ENV === 'production';
      // Grafast reads it when it loads: decide before importing the server.
      process.env.GRAPHILE_ENV ??= production ? 'production' : 'development';
      const startServer = await loadServer();
      if (!startServer) throw new CliError('the GraphQL server is not part of this build');
      await withDatabase(async (db) => {
        progress('starting the GraphQL server');
        const server = await startServer({
          databaseUrl: db.url,
          port: opts.port,
          jwtSecret: process.env.ROWSCOPE_JWT_SECRET || undefined,
          production,
        });
        out(`GraphQL server at ${server.url} (Ctrl-C stops it)`);
        await untilInterrupted();
        progress('stopping');
        await server.close();
      });
    });
}
