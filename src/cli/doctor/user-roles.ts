// Which database roles act as rowscope users, for the doctor's lints: every
// rowscope user's login, and every role that is a member (directly or through
// other roles) of rowscope_user. rowscope's own roles are not users, and
// membership is not followed through them: the definer administers
// rowscope_user and the migrating superuser is a member of the definer.
import type pg from 'pg';

export const ROWSCOPE_INTERNAL_ROLES = [
  'rowscope_owner', 'rowscope_definer', 'rowscope_user', 'rowscope_admin', 'rowscope_plan_bump', 'rowscope_authenticator',
];

export interface UserRole {
  oid: number;
  name: string;
  /** the name as SQL needs it (quote_ident: also quotes keywords such as user) */
  quoted: string;
  superuser: boolean;
  bypassrls: boolean;
  canLogin: boolean;
  /** the rowscope.system_user it is the login of, if any */
  userId: string | null;
  disabled: boolean | null;
  /** a rowscope user of another database of the cluster too (sql/050 _user_elsewhere): keeps LOGIN when disabled here */
  elsewhere: boolean;
}

export async function userRoles(client: pg.Client): Promise<UserRole[]> {
  const { rows } = await client.query<UserRole>(`
    with recursive internal as (
      select oid from pg_roles where rolname = any ($1::text[])
    ), members (oid) as (
      select m.member from pg_auth_members m
      where m.roleid = (select oid from pg_roles where rolname = 'rowscope_user')
        and m.member not in (select oid from internal)
      union
      select m.member from pg_auth_members m join members s on m.roleid = s.oid
      where m.member not in (select oid from internal)
    )
    select r.oid::int as oid, r.rolname::text as name, quote_ident(r.rolname) as quoted, r.rolsuper as superuser, r.rolbypassrls as bypassrls,
           r.rolcanlogin as "canLogin", u.id::text as "userId", u.is_disabled as disabled,
           rowscope._user_elsewhere(r.rolname) as elsewhere
    from pg_roles r
    left join rowscope.system_user u on u.db_role = r.rolname
    where r.oid in (select oid from members) or u.id is not null
    order by r.rolname`, [ROWSCOPE_INTERNAL_ROLES]);
  return rows;
}
