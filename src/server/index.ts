// `startServer`: the GraphQL API (docs/graphql.md) on node http. Each request to
// /graphql is authenticated from its bearer token and then runs on a connection
// switched to that user's database role (src/server/auth.ts); Ruru is served at
// / in development.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { grafserv } from 'postgraphile/grafserv/node';
import { authPlugin } from './auth.ts';
import { readCatalog } from './catalog.ts';
import { resolveSettings, type ServerOptions } from './config.ts';
import { requestHandler } from './http.ts';
import { GRAPHQL_PATH, makePreset } from './preset.ts';
import { authenticatorUrl, poolLogin, privilegedLogin } from './login.ts';
import { sessionOpener } from './session.ts';
import { makeVerifier } from './token.ts';
import { userChecker } from './users.ts';

export { signToken } from './token.ts';
export type { ServerOptions } from './config.ts';

export interface RunningServer {
  /** Base URL, e.g. http://localhost:5678 (GraphQL at `${url}/graphql`). */
  url: string;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const settings = resolveSettings(opts);
  const verify = makeVerifier({
    jwtSecret: settings.jwtSecret, jwksUrl: settings.jwksUrl, issuer: settings.jwtIssuer, audience: settings.jwtAudience, requireExp: settings.requireExp,
  });
  // With a password to give it, requests log in as rowscope_authenticator
  // (src/server/login.ts); the URL we were given is the administrator's.
  const requestUrl = settings.authenticatorPassword === undefined
    ? settings.databaseUrl
    : await authenticatorUrl(settings.databaseUrl, settings.authenticatorPassword);
  // Released in reverse order of creation: the listener first, the pools last.
  const releases: Array<() => Promise<unknown>> = [];
  const cleanup = async () => {
    for (let release = releases.pop(); release; release = releases.pop()) await release().catch(() => {});
  };
  const adminPool = newPool(settings.adminDatabaseUrl, 2, 'rowscope-graphql-auth');
  releases.push(() => adminPool.end());
  // The request pool: only src/server/session.ts uses it, and every request
  // makes its connection act as its user before anything else runs on it.
  const pool = newPool(requestUrl, settings.maxConnections, 'rowscope-graphql');
  // What PostGraphile's own adaptor sets on each of its connections (JIT
  // optimisation costs more than short queries gain).
  pool.on('connect', (client) => void client.query('set jit_optimize_above_cost = -1').catch(() => {}));
  releases.push(() => pool.end());
  // PostGraphile's own (the same login): the introspection at start.
  const schemaPool = newPool(requestUrl, 1, 'rowscope-graphql-schema', 10_000);
  releases.push(() => schemaPool.end());
  try {
    // A privileged request pool is one RESET ROLE from everything: refused in
    // production. (Development servers on a superuser URL, as the tests' and
    // `rowscope demo` on a DATABASE_URL, are let be.)
    const privileged = settings.production ? privilegedLogin(await poolLogin(schemaPool)) : undefined;
    if (privileged) {
      throw new Error(`rowscope serve: the request pool's login ${privileged}; connect requests as rowscope_authenticator (DATABASE_URL, or ROWSCOPE_AUTHENTICATOR_PASSWORD) and give the administrator's login as ROWSCOPE_ADMIN_DATABASE_URL`);
    }
    const catalog = await readCatalog(adminPool).catch((error: { code?: string; message: string }) => {
      if (error.code === '42501') {
        throw new Error(`rowscope serve: ${error.message}; the server needs ROWSCOPE_ADMIN_DATABASE_URL (a login that may read the rowscope catalog) when DATABASE_URL is rowscope_authenticator`);
      }
      throw error;
    });
    const openSession = sessionOpener({ pool, verify, findUser: userChecker(adminPool), roleScope: settings.roleScope });
    const pgl = postgraphile({
      extends: [
        makePreset({ pool: schemaPool, catalog, production: settings.production, introspection: settings.introspection, ruruAuthorization: opts.ruruAuthorization }),
        { plugins: [authPlugin({ graphqlPath: GRAPHQL_PATH, openSession })] },
      ],
    });
    releases.push(async () => pgl.release());
    const serv = pgl.createServ(grafserv);
    releases.push(async () => serv.release());
    // Build the schema now, so a broken catalog fails the start, not the first request.
    await pgl.getSchema();
    await serv.ready();

    const server = createServer(requestHandler({ grafserv: serv.createHandler() }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    releases.push(() => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
    const { port } = server.address() as AddressInfo;
    // Listening on every interface: show the URL a local browser can open.
    const shown = settings.host === '0.0.0.0' || settings.host === '::' ? 'localhost' : settings.host;
    const host = shown.includes(':') ? `[${shown}]` : shown;
    return { url: `http://${host}:${port}`, close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

function newPool(connectionString: string, max: number, applicationName: string, idleTimeoutMillis = 0): pg.Pool {
  // Kept open while the server runs (idleTimeoutMillis 0) unless told: a new
  // connection costs milliseconds (authentication, the login audit of sql/250,
  // a cold access cache), and the pool's size bounds how many there are.
  const pool = new pg.Pool({ connectionString, max, application_name: applicationName, idleTimeoutMillis });
  // An idle client whose server goes away emits 'error'; without a listener it would crash the process.
  // An administrator shutdown (57P01: PostgreSQL stopping, e.g. on the same Ctrl-C
  // as ours) is expected and not worth a line; anything else is.
  pool.on('error', (error: Error & { code?: string }) => {
    if (error.code !== '57P01') console.error(`rowscope: ${applicationName} connection lost: ${error.message}`);
  });
  return pool;
}
