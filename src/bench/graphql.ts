// `rowscope bench --graphql` (docs/performance.md, "GraphQL throughput"): the
// first page of accounts (20) at N concurrent clients through rowscope's own
// server (production mode, a bench persona's token, requests logged in as a
// member of rowscope_authenticator) vs plain PostGraphile v5 (Amber preset, the same api
// schema, the superuser, production), each for a fixed time, interleaved.
// Reports `graphql: {clients, rls_req_s, limit_req_s, ratio}`.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { withClient } from '../db/client.ts';
import { environmentOptions } from '../server/config.ts';
import { ident, lit, sql } from '../sql/index.ts';
import { currentDatabase, rolePrefix } from './load.ts';
import { runLoad, type LoadResult } from './http-load.ts';

export interface GraphqlThroughput {
  clients: number;
  rls_req_s: number;
  limit_req_s: number;
  /** rls_req_s / limit_req_s */
  ratio: number;
  /** seconds each server was timed (in two halves, interleaved) */
  seconds: number;
  /** whose token rowscope's server ran the query with */
  persona: string;
  /** both servers answered with the same page */
  rows_match: boolean;
  /** where rowscope's server set the role (src/server/session.ts) */
  role_scope: 'transaction' | 'session';
}

/**
 * The query both servers answer: the first 20 accounts in primary-key order
 * (PostGraphile orders a connection by its key for stable cursors). The uuid
 * column is `id` in rowscope's schema (src/server/inflection.ts) and `rowId`
 * in plain PostGraphile's (where `id` is the node id).
 */
export const firstPage = (idField: 'id' | 'rowId') => `{ allAccounts(first: 20) { nodes { ${idField} name modifiedOn } } }`;

const PERSONA = 'org';

export async function graphqlThroughput(opts: {
  /** the bench database, as the superuser */
  url: string;
  clients?: number;
  seconds?: number;
  /** the server's role scope; default ROWSCOPE_ROLE_SCOPE, else the server's default (transaction: safe behind PgBouncer) */
  roleScope?: 'transaction' | 'session';
  say: (line: string) => void;
}): Promise<GraphqlThroughput> {
  const { url, say } = opts;
  const clients = opts.clients ?? 16;
  const seconds = opts.seconds ?? 10;
  const roleScope = opts.roleScope ?? environmentOptions().roleScope ?? 'transaction';
  // Grafast reads GRAPHILE_ENV when it loads: production unless the caller
  // decided (put back afterwards, for a process that goes on: the tests).
  const graphileEnv = process.env.GRAPHILE_ENV;
  process.env.GRAPHILE_ENV ??= 'production';
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const persona = await personaUser(url);
    const secret = randomBytes(32).toString('hex');
    const login = await benchLogin(url);
    stops.push(login.drop);
    const { startServer, signToken } = await import('../server/index.ts');
    const rowscope = await startServer({
      databaseUrl: login.url, adminDatabaseUrl: url, host: '127.0.0.1', port: 0, production: true, jwtSecret: secret, maxConnections: 10,
      roleScope,
    });
    stops.push(() => rowscope.close());
    const plain = await startPlainPostGraphile(url);
    stops.push(plain.close);
    const token = await signToken(secret, persona.id, '2h');
    const body = (idField: 'id' | 'rowId') => JSON.stringify({ query: firstPage(idField) });
    const rlsSpec = { url: `${rowscope.url}/graphql`, headers: { authorization: `Bearer ${token}` }, body: body('id'), clients };
    const limitSpec = { url: `${plain.url}/graphql`, headers: {}, body: body('rowId'), clients };

    say(`GraphQL: ${clients} clients, ${seconds} s per server (warm-up first)`);
    const warm = Math.min(2, Math.max(0.5, seconds / 5));
    const warmRls = await runLoad({ ...rlsSpec, seconds: warm });
    const warmLimit = await runLoad({ ...limitSpec, seconds: warm });
    for (const [name, r] of [['rowscope', warmRls], ['PostGraphile', warmLimit]] as const) {
      if (r.ok === 0) throw new Error(`rowscope bench --graphql: ${name} answered no request: ${r.firstFailure ?? 'no answer'}`);
    }
    const rls: LoadResult[] = [];
    const limit: LoadResult[] = [];
    // Interleaved halves: a machine shared with other work drifts less between the two servers.
    for (let half = 0; half < 2; half++) {
      rls.push(await runLoad({ ...rlsSpec, seconds: seconds / 2 }));
      limit.push(await runLoad({ ...limitSpec, seconds: seconds / 2 }));
    }
    const rate = (rs: LoadResult[]) => {
      const failed = rs.reduce((n, r) => n + r.failed, 0);
      if (failed > 0) throw new Error(`rowscope bench --graphql: ${failed} requests failed: ${rs.find((r) => r.firstFailure)!.firstFailure}`);
      return rs.reduce((n, r) => n + r.ok, 0) / rs.reduce((s, r) => s + r.seconds, 0);
    };
    const rlsRate = rate(rls);
    const limitRate = rate(limit);
    const result: GraphqlThroughput = {
      clients,
      rls_req_s: Math.round(rlsRate),
      limit_req_s: Math.round(limitRate),
      ratio: Math.round((rlsRate / limitRate) * 100) / 100,
      seconds,
      persona: PERSONA,
      role_scope: roleScope,
      rows_match: warmRls.sample !== null && warmRls.sample === warmLimit.sample?.replaceAll('"rowId":', '"id":'),
    };
    say(`GraphQL: rowscope ${result.rls_req_s} req/s, PostGraphile ${result.limit_req_s} req/s, ratio ${result.ratio.toFixed(2)}`);
    return result;
  } finally {
    for (let stop = stops.pop(); stop; stop = stops.pop()) await stop().catch(() => {});
    if (graphileEnv === undefined) delete process.env.GRAPHILE_ENV;
  }
}

/** The line the bench prints; the target (issue 18) is a ratio of at least 0.8. */
export function formatGraphql(g: GraphqlThroughput): string {
  return `GraphQL first page (20 accounts, ${g.clients} clients, ${g.seconds} s each, persona ${g.persona}, role per ${g.role_scope}): ` +
    `rowscope ${g.rls_req_s} req/s, plain PostGraphile ${g.limit_req_s} req/s, ratio ${g.ratio.toFixed(2)} ` +
    `(target ≥ ${GRAPHQL_TARGET_RATIO})${g.rows_match ? '' : '; the two servers answered differently'}`;
}

export const GRAPHQL_TARGET_RATIO = 0.8;

async function personaUser(url: string): Promise<{ id: string }> {
  return withClient(url, async (client) => {
    const role = `${rolePrefix(await currentDatabase(client))}${PERSONA}`;
    const { rows: [me] } = await client.query<{ id: string }>('select id from rowscope.system_user where db_role = $1', [role]);
    if (!me) throw new Error(`rowscope bench --graphql: persona ${role} is missing from the bench database`);
    return me;
  });
}

/**
 * The request pool's login for the run: a LOGIN NOINHERIT role of its own,
 * member of rowscope_authenticator, so it may switch to the users' roles as
 * that login does (sql/071_admin_users.sql) and holds nothing itself. The
 * cluster-wide rowscope_authenticator is left as it is (its password belongs
 * to whoever deploys on this cluster); the role is dropped afterwards.
 */
async function benchLogin(url: string): Promise<{ url: string; role: string; drop: () => Promise<void> }> {
  const password = randomBytes(24).toString('hex');
  const role = await withClient(url, async (c) => {
    const name = `${rolePrefix(await currentDatabase(c))}graphql`;
    await c.query(sql`drop role if exists ${ident(name)}`.text);
    await c.query(sql`create role ${ident(name)} login noinherit password ${lit(password)} in role rowscope_authenticator`.text);
    return name;
  });
  const login = new URL(url);
  login.username = role;
  login.password = password;
  return {
    url: login.toString(),
    role,
    drop: async () => {
      await withClient(url, (c) => c.query(sql`drop role if exists ${ident(role)}`.text));
    },
  };
}

/** Plain PostGraphile v5: Amber over the api schema as the superuser, production settings, nothing of rowscope's. */
async function startPlainPostGraphile(url: string): Promise<{ url: string; close: () => Promise<void> }> {
  const { postgraphile } = await import('postgraphile');
  const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
  const { makePgService } = await import('postgraphile/adaptors/pg');
  const { grafserv } = await import('postgraphile/grafserv/node');
  const pool = new pg.Pool({ connectionString: url, max: 10, application_name: 'rowscope-bench-plain' });
  pool.on('error', () => {});
  const { pgSmartTags } = await import('postgraphile/utils');
  // A view has no key of its own; rowscope's server tags `id` as the key
  // (src/server/smart-tags.ts). The same tag here, and nothing else, so that
  // both servers run the same SQL (`order by id limit 21`).
  const primaryKey = pgSmartTags([{ kind: 'class', match: (c) => c.relname === 'account' && c.getNamespace()?.nspname === 'api', tags: { primaryKey: 'id' } }]);
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    plugins: [primaryKey],
    pgServices: [makePgService({ pool, schemas: ['api'], pubsub: false })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, graphqlOverGET: false, websockets: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  await pgl.getSchema();
  await serv.ready();
  const server: Server = createServer(serv.createHandler());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await serv.release();
      await pgl.release();
      await pool.end();
    },
  };
}
