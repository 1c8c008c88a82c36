// Who a verified token's `sub` is: the system user's database role, looked up
// fresh for every request, so disabling a user takes effect immediately.
//
// The lookup uses a small pool of its own on the administrator's connection
// (ROWSCOPE_ADMIN_DATABASE_URL, else DATABASE_URL when that is a superuser):
// the server's login, rowscope_authenticator, deliberately holds no right on
// the rowscope catalog, and before a request is authenticated there is no user
// role to act as. The query is one fixed, parameterised read of
// rowscope.system_user; nothing else runs on this pool per request.
import type pg from 'pg';

export interface SystemUser {
  dbRole: string;
  isDisabled: boolean;
}

export type FindUser = (id: string) => Promise<SystemUser | null>;

export function userFinder(adminPool: pg.Pool): FindUser {
  return async (id) => {
    const { rows } = await adminPool.query<{ db_role: string; is_disabled: boolean }>(
      'select db_role, is_disabled from rowscope.system_user where id = $1', [id]);
    const row = rows[0];
    return row ? { dbRole: row.db_role, isDisabled: row.is_disabled } : null;
  };
}
