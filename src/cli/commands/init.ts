// rowscope init: a starter model file in the current folder.
import { Command } from 'commander';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_MODEL_FILES } from '../../model/index.ts';
import { CliError } from '../errors.ts';
import { out } from '../output.ts';

export const STARTER_FILE = 'rowscope.config.ts';

// A plain object, unless rowscope is installed in the project (then
// `defineModel` from the package gives the editor the file format's types);
// `rowscope check` validates the file either way.
export const STARTER_MODEL = `// The rowscope security model (see the rowscope README, "The model file").
// rowscope compiles it into PostgreSQL row-level security:
//   npx rowscope check      validate this file
//   npx rowscope generate   write a migration into migrations/
//   npx rowscope migrate    apply it (DATABASE_URL, else an embedded PostgreSQL)
//
// Each table below must exist before the rowscope migration runs (create it in
// your application's own migrations, in the data schema), with a uuid primary
// key named id, e.g.
//   create schema app;
//   create table app.account (id uuid primary key default gen_random_uuid(), name text not null);
//   create table app.contact (id uuid primary key default gen_random_uuid(), name text not null,
//                             account_id uuid references app.account (id));
//   create table app.product (id uuid primary key default gen_random_uuid(), name text not null);
// rowscope adds owner_id, owning_business_unit and the created/modified columns.
//
// Depths: none, user, business_unit, parent_child, organization.
// Privileges: create, read, write, delete, append, append_to, assign, share.
export default {
  dataSchema: 'app', // where the application's tables live
  apiSchema: 'api', // where rowscope puts one secured view per table

  tables: {
    account: { ownership: 'user' },
    contact: {
      ownership: 'user',
      relationships: [{ column: 'account_id', references: 'account' }],
    },
    product: { ownership: 'organization' },
  },

  roles: {
    employee: {
      privileges: {
        account: { read: 'business_unit' },
        contact: { read: 'business_unit' },
        product: { read: 'organization' },
      },
    },
    salesperson: {
      extends: ['employee'],
      privileges: {
        account: { create: 'user', write: 'user', delete: 'user', append_to: 'business_unit', share: 'user' },
        contact: { create: 'user', write: 'user', delete: 'user', append: 'user' },
      },
    },
    // Security data is guarded too: this role may add users to its own
    // business unit and give them roles whose privileges it holds itself.
    user_admin: {
      privileges: {
        system_user: { create: 'business_unit', read: 'business_unit', write: 'business_unit' },
        security_role: { read: 'organization' },
      },
    },
  },
};
`;

/** The starter as `export default defineModel({...})`, for a project that has the package installed. */
export function typedStarter(): string {
  const body = STARTER_MODEL.replace('export default {', "import { defineModel } from 'rowscope';\n\nexport default defineModel({");
  return `${body.trimEnd().replace(/};$/, '});')}\n`;
}

export function initCommand(): Command {
  return new Command('init')
    .description(`write a starter model file (${STARTER_FILE}) in the current folder`)
    .action(() => {
      if (existsSync(STARTER_FILE)) throw new CliError(`${STARTER_FILE} exists already; not overwriting it`);
      const other = DEFAULT_MODEL_FILES.find((name) => existsSync(name));
      if (other) {
        throw new CliError(`${other} exists already and ${STARTER_FILE} would take its place as the default model; not writing it`);
      }
      writeFileSync(STARTER_FILE, existsSync(join('node_modules', 'rowscope', 'package.json')) ? typedStarter() : STARTER_MODEL, { flag: 'wx' });
      out(`wrote ${STARTER_FILE}`);
      out('next: create its tables in your own migrations, then `rowscope check`, `rowscope generate` and `rowscope migrate`');
    });
}
