// What every doctor lint sees and returns (docs/reference.md, docs/architecture.md), and the small
// SQL fragments several lints share. Lints are plain SQL over the system
// catalogs and the rowscope catalog, in the spirit of supabase/splinter.
import type pg from 'pg';
import type { UserRole } from './user-roles.ts';

export type Level = 'error' | 'warn';

export interface Finding {
  lint: string;
  level: Level;
  /** the offending object, e.g. `app.account`, `role alice`, `rowscope.f(uuid)` */
  object: string;
  message: string;
  /** what to run or change to fix it */
  remedy: string;
}

export interface Context {
  client: pg.Client;
  users: UserRole[];
  /** oids of the user roles that are not superusers (superusers are reported on their own and hold everything) */
  userOids: number[];
  /** the data and api schemas of the model, and rowscope */
  schemas: string[];
  /** the data schemas of the model */
  dataSchemas: string[];
  /** server_version_num of the server: decides which catalog columns exist */
  serverVersion: number;
  /**
   * The version the CVE lints judge: the server's, unless the CLI was told
   * otherwise (ROWSCOPE_DOCTOR_SERVER_VERSION_NUM, for tests). Kept apart from
   * serverVersion so an override never changes which catalog SQL runs.
   */
  cveVersion: number;
}

export type Problem = Omit<Finding, 'lint' | 'level'>;

export interface Lint {
  name: string;
  level: Level;
  /** the rule, in one line */
  rule: string;
  run(ctx: Context): Promise<Problem[]>;
}

export const rows = async <T extends pg.QueryResultRow>(ctx: Context, text: string, values: unknown[] = []) =>
  (await ctx.client.query<T>(text, values)).rows;

// The roles some user role is a member of, directly or through others (what
// pg_has_role(user, role, 'MEMBER') answers: every membership counts, whatever
// its INHERIT and SET), themselves included; the user oids are $1. Computed
// once per query as a closure over pg_auth_members, not by pg_has_role per
// (object, user) pair: PostgreSQL 15 caches one role's memberships at a time,
// and with 3,000 user roles doctor spent 36 s in user_owns_object alone
// (docs/operations.md "doctor on a large cluster").
export const USER_REACH = `(with recursive reach (oid) as (
    select unnest($1::oid[])
    union
    select m.roleid from pg_auth_members m join reach r on m.member = r.oid
  ) select oid from reach)`;

// A role some user role can act as (inherits or may SET ROLE to), or PUBLIC.
// Expects the user oids as $1 and an aclexplode() row as `a`.
export const REACHES_USERS = `(a.grantee = 0 or a.grantee in ${USER_REACH})`;
export const GRANTEE = `case when a.grantee = 0 then 'public' else quote_ident(pg_get_userbyid(a.grantee)) end`;
