// Access-class exclusivity (DESIGN §3): each user's login is in exactly one
// class role per model table, the one its privileges call for. Two classes OR
// their permissive policies and AND their restrictive twins: rows vanish or leak.
// The roles are this database's (sql/050_access_classes.sql: their names carry
// the database's tag), as are the write roles that hold a table's UPDATE and
// DELETE: a login is in them exactly when it may update / delete there.
import { rows, type Lint } from '../context.ts';

export const ACCESS_CLASS_LINTS: Lint[] = [
  {
    name: 'user_class_membership',
    level: 'error',
    rule: 'each rowscope user\'s login is a member of exactly one access class role per model table, the one its privileges call for',
    run: async (ctx) => {
      const found = await rows<{ db_role: string; quoted: string; id: string; table_name: string; expected: string; held: { cls: string; role: string; grantor: string }[] }>(ctx, `
        select u.db_role::text, quote_ident(u.db_role) as quoted, u.id::text, t.name as table_name, rowscope._read_class(u.id, t.name) as expected,
               coalesce((select jsonb_agg(jsonb_build_object('cls', c.key, 'role', quote_ident(c.value), 'grantor', quote_ident(pg_get_userbyid(m.grantor))) order by c.key)
                         from jsonb_each_text(t.class_roles) c
                         join pg_auth_members m on m.roleid = to_regrole(quote_ident(c.value)) and m.member = to_regrole(quote_ident(u.db_role))),
                        '[]') as held
        from rowscope.system_user u
        cross join rowscope.secured_table t
        where exists (select from pg_roles r where r.rolname = u.db_role)
        order by 1, 3`);
      const v16 = ctx.serverVersion >= 160000;
      return found.flatMap((f) => {
        const classes = [...new Set(f.held.map((h) => h.cls))];
        if (classes.length === 1 && classes[0] === f.expected) return [];
        // PostgreSQL 16+ tracks who granted a membership and a REVOKE only
        // removes the revoker's own grant: the definer cannot undo someone else's.
        const foreign = f.held.filter((h) => h.cls !== f.expected && (!v16 || h.grantor !== 'rowscope_definer'));
        const revokes = foreign.map((h) => `revoke ${h.role} from ${f.quoted}${v16 ? ` granted by ${h.grantor}` : ''}`);
        return [{
          object: `user ${f.db_role} on ${f.table_name}`,
          message: classes.length === 1
            ? `${f.db_role} is in access class ${classes[0]} of ${f.table_name} but its privileges call for ${f.expected}`
            : classes.length === 0
              ? `${f.db_role} is in no access class of ${f.table_name} (it should be in ${f.expected})`
              : `${f.db_role} is in ${classes.length} access classes of ${f.table_name} (${classes.join(', ')}): their policies combine, so it sees rows it should not`,
          remedy: [...revokes, `select rowscope._refresh_user_classes('${f.id}')`].join('; '),
        }];
      });
    },
  },
  {
    name: 'user_write_roles',
    level: 'error',
    rule: 'a rowscope user\'s login holds a model table\'s UPDATE / DELETE (its write roles) exactly when its privileges allow updating / deleting there',
    run: async (ctx) => {
      const found = await rows<{ db_role: string; quoted: string; id: string; table_name: string; kind: string; role: string; expected: boolean; grantors: string[] }>(ctx, `
        select u.db_role::text, quote_ident(u.db_role) as quoted, u.id::text, t.name as table_name, k.kind,
               quote_ident(rowscope._table_role(t.name, k.kind)) as role, rowscope._may_change(u.id, t.name, k.kind) as expected,
               array(select quote_ident(pg_get_userbyid(m.grantor)) from pg_auth_members m
                     where m.roleid = to_regrole(quote_ident(rowscope._table_role(t.name, k.kind)))
                       and m.member = to_regrole(quote_ident(u.db_role)) order by 1) as grantors
        from rowscope.system_user u
        cross join rowscope.secured_table t
        cross join (values ('update'), ('delete')) k(kind)
        where exists (select from pg_roles r where r.rolname = u.db_role)
        order by 1, 4, 5`);
      const v16 = ctx.serverVersion >= 160000;
      return found.filter((f) => f.expected !== f.grantors.length > 0).map((f) => {
        // as for the classes: PostgreSQL 16+ revokes only the revoker's own grant
        const revokes = f.expected ? [] : f.grantors.filter((g) => !v16 || g !== 'rowscope_definer')
          .map((g) => `revoke ${f.role} from ${f.quoted}${v16 ? ` granted by ${g}` : ''}`);
        return {
          object: `user ${f.db_role} on ${f.table_name}`,
          message: f.expected
            ? `${f.db_role} may ${f.kind} rows of ${f.table_name} but is not in its write role ${f.role}: its ${f.kind}s are refused`
            : `${f.db_role} may not ${f.kind} rows of ${f.table_name} but is in its write role ${f.role}: it can lock the table and select its rows for update`,
          remedy: [...revokes, `select rowscope._refresh_user_classes('${f.id}')`].join('; '),
        };
      });
    },
  },
];
