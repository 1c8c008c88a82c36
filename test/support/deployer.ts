// The integration run's deployment administrator (docs/testing.md,
// docs/operations.md "Managed PostgreSQL"). With
// ROWSCOPE_TEST_DEPLOYER=nonsuperuser the run builds every template database
// as a LOGIN CREATEDB CREATEROLE role that is no superuser, as on a managed
// service: the template (and each clone) is created by it, owned by it, and
// the core SQL and fixture migrations run as it. Tests still observe and act
// as personas through the superuser URL (TestDatabase.url).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { withClient } from '../../src/db/client.ts';
import { quoteIdentifier as q } from '../../src/sql/index.ts';

const ROLES_SQL = fileURLToPath(new URL('../../sql/001_roles.sql', import.meta.url));
const CLUSTER_ROLES = '^rowscope_(owner|definer|user|admin|plan_bump|authenticator|class_[a-z_]+)$';

export type DeployerMode = 'superuser' | 'nonsuperuser';

export const DEPLOYER_ROLE = 'rowscope_test_deployer';

export function deployerMode(env: NodeJS.ProcessEnv = process.env): DeployerMode {
  const value = env.ROWSCOPE_TEST_DEPLOYER ?? 'superuser';
  if (value !== 'superuser' && value !== 'nonsuperuser') {
    throw new Error(`ROWSCOPE_TEST_DEPLOYER must be superuser or nonsuperuser, not ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * Creates (or, on a reused server, resets) a deployer role (the run's, unless
 * `role` is given) and returns the
 * URL of the `postgres` database as that role. The role creates rowscope's
 * cluster-wide roles before anyone else does (sql/001_roles.sql), as the
 * first deployer of a managed cluster would: on PostgreSQL 16+ that is what
 * gives it ADMIN OPTION on them.
 */
export async function createDeployer(superUrl: string, role = DEPLOYER_ROLE): Promise<string> {
  const password = randomBytes(18).toString('base64url');
  await withClient(superUrl, async (c) => {
    const exists = (await c.query('select from pg_roles where rolname = $1', [role])).rowCount === 1;
    const options = `login createdb createrole nosuperuser nobypassrls noreplication password ${c.escapeLiteral(password)}`;
    await c.query(`${exists ? 'alter' : 'create'} role ${q(role)} ${exists ? 'with ' : ''}${options}`);
  });
  const u = new URL(superUrl);
  u.username = encodeURIComponent(role);
  u.password = password;
  u.pathname = '/postgres';
  const url = u.toString();
  // the first statement of sql/001_roles.sql: create the roles that are missing
  const roles = (await readFile(ROLES_SQL, 'utf8')).split('$roles$;')[0]! + '$roles$;';
  await withClient(url, (c) => c.query(roles));
  // A server reused from an earlier run (DATABASE_URL) may hold them already,
  // created by someone else: give the deployer what creating them gives on
  // 16+ (ADMIN OPTION, no INHERIT, no SET), as docs/operations.md tells a
  // second deployer to get. On 15, CREATEROLE is enough.
  await withClient(superUrl, async (c) => {
    if (Number((await c.query<{ v: string }>("select current_setting('server_version_num') as v")).rows[0]!.v) < 160000) return;
    const { rows } = await c.query<{ rolname: string }>(`select r.rolname from pg_roles r
      where r.rolname ~ $2 and not exists (select from pg_auth_members m
        where m.roleid = r.oid and m.member = $1::regrole and m.admin_option)`, [role, CLUSTER_ROLES]);
    for (const r of rows) await c.query(`grant ${q(r.rolname)} to ${q(role)} with admin option, inherit false, set false`);
  });
  return url;
}
