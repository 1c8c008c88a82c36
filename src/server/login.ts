// The request pool's login. Every GraphQL request SET ROLEs to its user
// (src/server/session.ts), but what the connection logs in as still matters:
// a superuser pool is one RESET ROLE (a bug in a plugin, a function that
// escapes the role) from everything. The intended login is
// rowscope_authenticator (sql/001_roles.sql): LOGIN, NOINHERIT, granted each
// user's role without inherit (sql/071_admin_users.sql), holding nothing itself.
import pg from 'pg';
import { ident, lit, sql } from '../sql/index.ts';

export const AUTHENTICATOR = 'rowscope_authenticator';

/**
 * Sets `password` on rowscope_authenticator (through the administrator's
 * `adminUrl`) and returns the URL that logs in as it on the same server and
 * database.
 */
export async function authenticatorUrl(adminUrl: string, password: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql`alter role ${ident(AUTHENTICATOR)} with login password ${lit(password)}`.text);
  } finally {
    await client.end().catch(() => {});
  }
  const url = new URL(adminUrl);
  url.username = AUTHENTICATOR;
  url.password = encodeURIComponent(password);
  return url.toString();
}

export interface PoolLogin {
  name: string;
  superuser: boolean;
  bypassrls: boolean;
}

/** Who the pool's connections log in as. */
export async function poolLogin(pool: pg.Pool): Promise<PoolLogin> {
  const { rows } = await pool.query<PoolLogin>(
    'select session_user::text as name, rolsuper as superuser, rolbypassrls as bypassrls from pg_roles where rolname = session_user');
  return rows[0]!;
}

/** Why the login must not serve requests, or undefined when it may. */
export function privilegedLogin(login: PoolLogin): string | undefined {
  if (login.superuser) return `${login.name} is a superuser`;
  if (login.bypassrls) return `${login.name} has BYPASSRLS`;
  return undefined;
}
