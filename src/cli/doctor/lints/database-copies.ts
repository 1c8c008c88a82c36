// One database, one organization: no other database of the cluster uses this
// database's tagged roles. A copy (CREATE DATABASE … TEMPLATE, or a dump
// restored next to its original) keeps the tag, and with it the class, write
// and members roles, so a security change in one changes what logins see in
// the other (sql/660_ddl_database_copy.sql). pg_shdepend, a shared catalog,
// lists every database's policies and grants on roles.
import { rows, type Lint } from '../context.ts';

export const DATABASE_COPY_LINTS: Lint[] = [
  {
    name: 'database_roles_shared',
    // a warning (doctor exits 0): every clone of a template database, as test
    // suites make them, shares the template's roles; the hazard is real only
    // once security data changes in two of them, and the remedy is one call
    level: 'warn',
    rule: 'no other database of the cluster uses this database\'s class, write or members roles (a copy of it, or its original)',
    run: async (ctx) => {
      // a rowscope schema from before tagged roles has no tag to compare
      const [known] = await rows<{ ok: boolean }>(ctx, `select to_regprocedure('rowscope._databases_sharing_roles()') is not null as ok`);
      if (!known?.ok) return [];
      const shared = await rows<{ database_name: string }>(ctx, 'select database_name::text from rowscope._databases_sharing_roles()');
      return shared.map((s) => ({
        object: `database ${s.database_name}`,
        message: `database ${s.database_name} binds its policies and grants to this database's roles (one is a copy of the other): a security change in either changes what logins see in both`,
        remedy: 'select rowscope.retag_database() in one of the two, as the role that runs the migrations (docs/operations.md "Copies of a database")',
      }));
    },
  },
];
