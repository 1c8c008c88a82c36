// What the server runs with: explicit options first, then the environment.
// Resolved once at start; nothing here is read again per request.

export interface ServerOptions {
  /** The server's own login (rowscope_authenticator in production). */
  databaseUrl: string;
  /**
   * A login that may read the rowscope catalog (the deployment administrator).
   * Default: ROWSCOPE_ADMIN_DATABASE_URL, else `databaseUrl` (which then must
   * be such a login, e.g. a superuser in tests).
   */
  adminDatabaseUrl?: string;
  port?: number;
  host?: string;
  /** HS256 secret; default ROWSCOPE_JWT_SECRET. */
  jwtSecret?: string;
  /** JWKS endpoint (RS256/ES256/... tokens); default ROWSCOPE_JWKS_URL. */
  jwksUrl?: string;
  /** Default: NODE_ENV === 'production'. */
  production?: boolean;
  /** Size of the request pool (default 10). */
  maxConnections?: number;
  /** Development only: the Authorization header Ruru opens with (src/server/ruru.ts). */
  ruruAuthorization?: (as: string | undefined) => Promise<string | undefined>;
  /** Refuse tokens without `exp`; default: true unless ROWSCOPE_JWT_REQUIRE_EXP=0. */
  requireExp?: boolean;
  /**
   * When given, the server's request pool logs in as rowscope_authenticator
   * with this password, which the server sets on that role through
   * `databaseUrl` (then an administrator's login, also used as
   * `adminDatabaseUrl` unless that is given). Default:
   * ROWSCOPE_AUTHENTICATOR_PASSWORD (how `rowscope serve` is told to do
   * this); the demo keeps one in .rowscope/. Without it, `databaseUrl` is the request pool's login and
   * should be rowscope_authenticator: a superuser or BYPASSRLS login is
   * refused in production.
   */
  authenticatorPassword?: string;
}

export interface ServerSettings {
  databaseUrl: string;
  adminDatabaseUrl: string;
  port: number;
  host: string;
  jwtSecret: string | undefined;
  jwksUrl: string | undefined;
  /** Optional `iss` / `aud` the tokens must carry (ROWSCOPE_JWT_ISSUER / ROWSCOPE_JWT_AUDIENCE). */
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  production: boolean;
  requireExp: boolean;
  authenticatorPassword: string | undefined;
  /** Production only: introspection stays on when ROWSCOPE_GRAPHQL_INTROSPECTION=1. */
  introspection: boolean;
  maxConnections: number;
}

type Env = Record<string, string | undefined>;

export function resolveSettings(opts: ServerOptions, env: Env = process.env): ServerSettings {
  const jwtSecret = opts.jwtSecret ?? nonEmpty(env.ROWSCOPE_JWT_SECRET);
  const jwksUrl = opts.jwksUrl ?? nonEmpty(env.ROWSCOPE_JWKS_URL);
  if (!jwtSecret && !jwksUrl) {
    throw new Error('rowscope serve: no way to verify tokens; set ROWSCOPE_JWT_SECRET (HS256) or ROWSCOPE_JWKS_URL');
  }
  if (jwtSecret && jwtSecret.length < 32) {
    throw new Error('rowscope serve: the JWT secret must be at least 32 characters (256 bits for HS256)');
  }
  const production = opts.production ?? env.NODE_ENV === 'production';
  const maxConnections = opts.maxConnections ?? 10;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(`rowscope serve: maxConnections must be a positive integer, got ${maxConnections}`);
  }
  return {
    databaseUrl: opts.databaseUrl,
    adminDatabaseUrl: opts.adminDatabaseUrl ?? nonEmpty(env.ROWSCOPE_ADMIN_DATABASE_URL) ?? opts.databaseUrl,
    port: opts.port ?? 5678,
    host: opts.host ?? 'localhost',
    jwtSecret,
    jwksUrl,
    jwtIssuer: nonEmpty(env.ROWSCOPE_JWT_ISSUER),
    jwtAudience: nonEmpty(env.ROWSCOPE_JWT_AUDIENCE),
    production,
    requireExp: opts.requireExp ?? env.ROWSCOPE_JWT_REQUIRE_EXP !== '0',
    authenticatorPassword: opts.authenticatorPassword ?? nonEmpty(env.ROWSCOPE_AUTHENTICATOR_PASSWORD),
    introspection: !production || env.ROWSCOPE_GRAPHQL_INTROSPECTION === '1',
    maxConnections,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
