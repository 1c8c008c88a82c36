// What the server runs with: explicit options first, then the environment.
// The one place the server's environment is read (environmentOptions below;
// `rowscope serve` asks it too, src/cli/commands/serve.ts); resolved once at
// start and passed down, nothing is read again per request.

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
  /**
   * Where a request's role is set (src/server/session.ts): per transaction
   * (default; safe behind PgBouncer in transaction mode), or for the
   * connection's session (direct connections only; faster). Default:
   * ROWSCOPE_ROLE_SCOPE.
   */
  roleScope?: 'transaction' | 'session';
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
  roleScope: 'transaction' | 'session';
}

type Env = Record<string, string | undefined>;

/** What the environment says, for every option it may set; a malformed value throws naming the variable. */
export function environmentOptions(env: Env = process.env): Omit<ServerOptions, 'databaseUrl' | 'ruruAuthorization'> & {
  jwtIssuer?: string;
  jwtAudience?: string;
  introspection?: boolean;
} {
  return {
    adminDatabaseUrl: nonEmpty(env.ROWSCOPE_ADMIN_DATABASE_URL),
    host: nonEmpty(env.HOST),
    port: parsed(env, 'PORT', (n) => Number.isInteger(n) && n >= 1 && n <= 65535, 'expected a port number'),
    jwtSecret: nonEmpty(env.ROWSCOPE_JWT_SECRET),
    jwksUrl: nonEmpty(env.ROWSCOPE_JWKS_URL),
    jwtIssuer: nonEmpty(env.ROWSCOPE_JWT_ISSUER),
    jwtAudience: nonEmpty(env.ROWSCOPE_JWT_AUDIENCE),
    production: env.NODE_ENV === undefined ? undefined : env.NODE_ENV === 'production',
    maxConnections: parsed(env, 'ROWSCOPE_POOL_SIZE', (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'expected a whole number from 1 to 1000'),
    requireExp: env.ROWSCOPE_JWT_REQUIRE_EXP === undefined ? undefined : env.ROWSCOPE_JWT_REQUIRE_EXP !== '0',
    authenticatorPassword: nonEmpty(env.ROWSCOPE_AUTHENTICATOR_PASSWORD),
    introspection: env.ROWSCOPE_GRAPHQL_INTROSPECTION === '1',
    roleScope: roleScope(env.ROWSCOPE_ROLE_SCOPE),
  };
}

export function resolveSettings(opts: ServerOptions, env: Env = process.env): ServerSettings {
  const fromEnv = environmentOptions(env);
  const jwtSecret = opts.jwtSecret ?? fromEnv.jwtSecret;
  const jwksUrl = opts.jwksUrl ?? fromEnv.jwksUrl;
  if (!jwtSecret && !jwksUrl) {
    throw new Error('rowscope serve: no way to verify tokens; set ROWSCOPE_JWT_SECRET (HS256) or ROWSCOPE_JWKS_URL');
  }
  if (jwtSecret && jwtSecret.length < 32) {
    throw new Error('rowscope serve: the JWT secret must be at least 32 characters (256 bits for HS256)');
  }
  const production = opts.production ?? fromEnv.production ?? false;
  const maxConnections = opts.maxConnections ?? fromEnv.maxConnections ?? 10;
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new Error(`rowscope serve: maxConnections must be a positive integer, got ${maxConnections}`);
  }
  return {
    databaseUrl: opts.databaseUrl,
    adminDatabaseUrl: opts.adminDatabaseUrl ?? fromEnv.adminDatabaseUrl ?? opts.databaseUrl,
    port: opts.port ?? fromEnv.port ?? 5678,
    host: opts.host ?? fromEnv.host ?? 'localhost',
    jwtSecret,
    jwksUrl,
    jwtIssuer: fromEnv.jwtIssuer,
    jwtAudience: fromEnv.jwtAudience,
    production,
    requireExp: opts.requireExp ?? fromEnv.requireExp ?? true,
    authenticatorPassword: opts.authenticatorPassword ?? fromEnv.authenticatorPassword,
    introspection: !production || fromEnv.introspection === true,
    maxConnections,
    roleScope: opts.roleScope ?? fromEnv.roleScope ?? 'transaction',
  };
}

function roleScope(value: string | undefined): 'transaction' | 'session' | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'transaction' || value === 'session') return value;
  throw new Error(`ROWSCOPE_ROLE_SCOPE=${value}: expected transaction or session`);
}

function parsed(env: Env, name: string, valid: (n: number) => boolean, expected: string): number | undefined {
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!valid(n)) throw new Error(`${name}=${value}: ${expected}`);
  return n;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
