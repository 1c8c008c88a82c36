// rowscope_authenticator, the GraphQL server's login (docs/architecture.md), is a member
// of every user role so it can switch to one per request. It must stay
// NOINHERIT (or it holds the union of every user's rights before it switches),
// not SUPERUSER or BYPASSRLS (a switch keeps neither away from the data), and
// hold no privilege on the data tables itself.
import { rows, type Context, type Lint } from '../context.ts';

interface Authenticator { oid: number; inherit: boolean; superuser: boolean; bypassrls: boolean }

const ROLE = 'rowscope_authenticator';
const OBJECT = `role ${ROLE}`;

async function authenticator(ctx: Context): Promise<Authenticator | undefined> {
  const [role] = await rows<Authenticator>(ctx, `
    select oid::int as oid, rolinherit as inherit, rolsuper as superuser, rolbypassrls as bypassrls
    from pg_roles where rolname = $1`, [ROLE]);
  return role;
}

export const AUTHENTICATOR_LINTS: Lint[] = [
  {
    name: 'authenticator_inherit',
    level: 'error',
    rule: 'rowscope_authenticator is NOINHERIT and inherits no membership',
    run: async (ctx) => {
      const role = await authenticator(ctx);
      if (!role) return [];
      const found = role.inherit ? [{
        object: OBJECT,
        message: `${ROLE} is INHERIT: the user roles it is granted from now on give it their rights before it switches to a user`,
        remedy: `alter role ${ROLE} noinherit`,
      }] : [];
      // PostgreSQL 16+ keeps an inherit option per membership, which a grant
      // may set whatever the role's own default says.
      if (ctx.serverVersion < 160000) return found;
      const grants = await rows<{ role: string; grantor: string }>(ctx, `
        select quote_ident(pg_get_userbyid(m.roleid)) as role, quote_ident(pg_get_userbyid(m.grantor)) as grantor
        from pg_auth_members m where m.member = $1 and m.inherit_option
        order by 1, 2`, [role.oid]);
      return [...found, ...grants.map((g) => ({
        object: OBJECT,
        message: `${ROLE} inherits the rights of ${g.role} (granted by ${g.grantor} with inherit true): it holds them without switching`,
        remedy: `revoke inherit option for ${g.role} from ${ROLE} granted by ${g.grantor}`,
      }))];
    },
  },
  {
    name: 'authenticator_superuser',
    level: 'error',
    rule: 'rowscope_authenticator is not SUPERUSER',
    run: async (ctx) => ((await authenticator(ctx))?.superuser ? [{
      object: OBJECT,
      message: `${ROLE} is a superuser: the server's login bypasses every policy, and a request that fails to switch role sees everything`,
      remedy: `alter role ${ROLE} nosuperuser`,
    }] : []),
  },
  {
    name: 'authenticator_bypassrls',
    level: 'error',
    rule: 'rowscope_authenticator does not have BYPASSRLS',
    run: async (ctx) => ((await authenticator(ctx))?.bypassrls ? [{
      object: OBJECT,
      message: `${ROLE} has BYPASSRLS: a request that fails to switch role sees every row`,
      remedy: `alter role ${ROLE} nobypassrls`,
    }] : []),
  },
  {
    name: 'authenticator_data_privilege',
    level: 'error',
    rule: 'rowscope_authenticator holds no privilege of its own on a table or column of the data schemas',
    run: async (ctx) => {
      const role = await authenticator(ctx);
      if (!role) return [];
      const found = await rows<{ object: string; table_name: string; column_name: string | null; privileges: string[] }>(ctx, `
        select case when g.column_name is null then g.relid::regclass::text else format('%s.%I', g.relid::regclass, g.column_name) end as object,
               g.relid::regclass::text as table_name, quote_ident(g.column_name) as column_name,
               array_agg(g.privilege order by g.privilege) as privileges
        from (
          select c.oid as relid, null::name as column_name, a.privilege_type as privilege
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          cross join lateral aclexplode(c.relacl) a
          where n.nspname = any ($2) and a.grantee = $1
          union all
          select c.oid, att.attname, a.privilege_type
          from pg_class c join pg_namespace n on n.oid = c.relnamespace
          join pg_attribute att on att.attrelid = c.oid and att.attnum > 0 and not att.attisdropped
          cross join lateral aclexplode(att.attacl) a
          where n.nspname = any ($2) and a.grantee = $1
        ) g
        group by g.relid, g.column_name
        order by 1`, [role.oid, ctx.dataSchemas]);
      return found.map((f) => ({
        object: f.object,
        message: `${ROLE} holds ${f.privileges.join(', ')} on ${f.object} itself, outside any user's policies`,
        remedy: `revoke all${f.column_name ? ` (${f.column_name})` : ''} on ${f.table_name} from ${ROLE}`,
      }));
    },
  },
];
