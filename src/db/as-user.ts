// `rowscope as ROLE -- "SQL"`: run SQL with exactly the privileges (and RLS
// visibility) of a user's database role, through a connection that cannot get
// back to a privileged role.
//
// SET ROLE on the administrator's own connection is no boundary: the SQL can
// RESET ROLE, SET SESSION AUTHORIZATION or set_config('role', 'none', …) (even
// inside a DO block) and continue as the administrator. So the SQL runs on a
// connection of its own, logged in as a throw-away role that
//   - has LOGIN, NOINHERIT and no other attribute,
//   - is a member of the user's role only (NOINHERIT: it holds none of the
//     user's privileges until it SET ROLEs into it),
//   - has a random password that exists only in this process,
// and is dropped afterwards, even when the SQL fails. Whatever the SQL does
// to leave the user's role, it lands on that role, which owns nothing, may
// do nothing PUBLIC may not, and is no rowscope user. Objects it managed to
// create anyway (a table in a schema open to PUBLIC) are dropped with it:
// DROP OWNED, never REASSIGN OWNED, which would hand them (a security-definer
// function, say) to the administrator.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ident, lit, sql } from '../sql/index.ts';
import { withClient } from './client.ts';

export interface AsUserOptions {
  /** pg client options for the user's connection (e.g. `types`). */
  clientConfig?: Omit<pg.ClientConfig, 'connectionString' | 'user' | 'password'>;
}

/** The same server and database as `adminUrl`, logged in as `user`. */
function loginUrl(adminUrl: string, user: string, password: string): string {
  const u = new URL(adminUrl);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Connects as a throw-away login that may only become `role`, runs `fn` on
 * that connection in a transaction with `role` set (committed when `fn`
 * resolves, rolled back when it throws), then drops the login.
 */
export async function withUserConnection<T>(
  adminUrl: string, role: string, fn: (client: pg.Client) => Promise<T>, opts: AsUserOptions = {},
): Promise<T> {
  const login = `rowscope_as_${randomBytes(8).toString('hex')}`;
  const password = randomBytes(24).toString('base64url');
  return withClient(adminUrl, async (admin) => {
    // VALID UNTIL bounds the life of a login this process could not drop
    // (killed between create and drop); CONNECTION LIMIT 1: only ours.
    await admin.query(sql`create role ${ident(login)} login noinherit nocreatedb nocreaterole noreplication nobypassrls
      connection limit 1 valid until ${lit(new Date(Date.now() + 3_600_000).toISOString())} password ${lit(password)}`.text);
    try {
      await admin.query(sql`grant ${ident(role)} to ${ident(login)}`.text).catch((error: { code?: string }) => {
        if (error.code !== '42501') throw error;
        // PostgreSQL 16+: only a role with ADMIN OPTION on the user's role may
        // grant it; a deployer that is no superuser has it on the roles it
        // created, not on one another administrator created or an existing
        // role create_user mapped (docs/operations.md "Managed PostgreSQL").
        throw Object.assign(new Error(`rowscope as: the login of DATABASE_URL may not grant ${role} to a temporary login (on PostgreSQL 16+ that takes a superuser or ADMIN OPTION on ${role}); connect as a superuser, or look through a rowscope_authenticator pool with withUser`), { code: '42501' });
      });
      const client = new pg.Client({ ...opts.clientConfig, connectionString: loginUrl(adminUrl, login, password) });
      client.on('error', () => {});
      try {
        await client.connect();
      } catch (error) {
        throw new Error(`rowscope as: could not log in to the server as a temporary role (${(error as Error).message}); the server must accept password logins from this host`);
      }
      try {
        await client.query('begin');
        try {
          await client.query("select set_config('role', $1, true)", [role]);
          const result = await fn(client);
          await client.query('commit');
          return result;
        } catch (error) {
          await client.query('rollback').catch(() => {});
          throw error;
        }
      } finally {
        await client.end().catch(() => {});
      }
    } finally {
      await dropLogin(admin, login);
    }
  });
}

async function dropLogin(admin: pg.Client, login: string): Promise<void> {
  // The backend of the ended connection lingers a moment after client.end();
  // it has to be gone so that its temporary objects are gone too.
  for (let attempt = 0; attempt < 100; attempt++) {
    const { rows } = await admin.query('select 1 from pg_stat_activity where usename = $1', [login]);
    if (rows.length === 0) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  await admin.query('begin');
  try {
    // DROP OWNED needs the privileges of the login. A creator that is no
    // superuser (a deployer on managed PostgreSQL) lacks them: on 16+ it holds
    // only ADMIN OPTION on the login, on 15 nothing but CREATEROLE. It takes
    // them for this transaction, in which the login is dropped. The login's
    // own grant of the user's role does not inherit (the login is NOINHERIT),
    // so this reaches nothing beyond the login.
    const { rows } = await admin.query<{ take: boolean; v16: boolean }>(`select not r.rolsuper and not pg_has_role(current_user, $1, 'USAGE') as take,
      current_setting('server_version_num')::int >= 160000 as v16 from pg_roles r where r.rolname = current_user`, [login]);
    if (rows[0]?.take) {
      await admin.query(rows[0].v16
        ? sql`grant ${ident(login)} to current_user with inherit true, set false`.text
        : sql`grant ${ident(login)} to current_user`.text);
    }
    await admin.query(sql`drop owned by ${ident(login)} cascade`.text);
    await admin.query(sql`drop role ${ident(login)}`.text);
    await admin.query('commit');
  } catch (error) {
    await admin.query('rollback').catch(() => {});
    throw error;
  }
}

/**
 * Runs one statement `sqlText` as `role` and returns its rows. The statement
 * goes through the extended protocol, which accepts exactly one statement;
 * it is committed, as the user's own statement would be, and a failure rolls
 * everything back.
 */
export async function runAs(url: string, role: string, sqlText: string): Promise<Record<string, unknown>[]> {
  return withUserConnection(url, role, async (client) => {
    // pg supports queryMode; @types/pg does not declare it yet.
    const result = await client.query({ text: sqlText, queryMode: 'extended' } as pg.QueryConfig);
    return result.rows;
  });
}
