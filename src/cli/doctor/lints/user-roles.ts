// The user roles themselves: no SUPERUSER or BYPASSRLS (both skip every
// policy), every rowscope user has its login, a disabled user's cannot log in.
import { rows, type Lint } from '../context.ts';

export const USER_ROLE_LINTS: Lint[] = [
  {
    name: 'user_role_superuser',
    level: 'error',
    rule: 'no user role is SUPERUSER',
    run: async (ctx) => ctx.users.filter((u) => u.superuser).map((u) => ({
      object: `role ${u.name}`,
      message: 'a superuser bypasses row level security and every check',
      remedy: `alter role ${u.quoted} nosuperuser`,
    })),
  },
  {
    name: 'user_role_bypassrls',
    level: 'error',
    rule: 'no user role has BYPASSRLS',
    run: async (ctx) => ctx.users.filter((u) => u.bypassrls && !u.superuser).map((u) => ({
      object: `role ${u.name}`,
      message: 'BYPASSRLS skips every row level security policy',
      remedy: `alter role ${u.quoted} nobypassrls`,
    })),
  },
  {
    name: 'user_login_missing',
    level: 'error',
    rule: 'every rowscope user has its database role',
    run: async (ctx) => (await rows<{ db_role: string; quoted: string; id: string }>(ctx, `
        select u.db_role::text, quote_ident(u.db_role) as quoted, u.id::text from rowscope.system_user u
        where not exists (select from pg_roles r where r.rolname = u.db_role) order by 1`)).map((u) => ({
      object: `user ${u.db_role}`,
      message: `the rowscope user ${u.id} has no database role ${u.db_role}`,
      remedy: `create role ${u.quoted} login; grant rowscope_user to ${u.quoted}; select rowscope._refresh_user_classes('${u.id}')`,
    })),
  },
  {
    name: 'disabled_user_can_login',
    level: 'error',
    rule: 'a disabled user\'s role cannot log in, unless it is a rowscope user of another database of the cluster too',
    run: async (ctx) => ctx.users.filter((u) => u.disabled && u.canLogin && !u.elsewhere).map((u) => ({
      object: `role ${u.name}`,
      message: `${u.name} is a disabled rowscope user but its role can log in`,
      remedy: `alter role ${u.quoted} nologin`,
    })),
  },
];
