// A fresh database holding the fixture application's tables
// (test/fixtures/app-schema.sql) and nothing of rowscope yet: what a project
// has before its first `rowscope generate` + `migrate`. Cloned from one template
// per run, shared by the CLI and package tests.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { withClient } from '../../src/db/client.ts';
import { databaseFor, type TestDatabase } from './database.ts';

const APP_SCHEMA = fileURLToPath(new URL('../fixtures/app-schema.sql', import.meta.url));

export function appTablesDatabase(): Promise<TestDatabase> {
  return databaseFor({
    template: 'cli_app_tables',
    build: async (url) => {
      const sql = await readFile(APP_SCHEMA, 'utf8');
      await withClient(url, (c) => c.query(sql));
    },
  });
}
