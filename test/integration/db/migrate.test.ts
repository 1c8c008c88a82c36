// runMigrations against a real server: a .sql migration with Up/Down applies
// and reverts, each migration commits on its own, and a failure surfaces as
// PostgreSQL's one-line message.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { MigrationError, runMigrations } from '../../../src/db/migrate.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let dir: string;

const tables = (url: string) =>
  withClient(url, async (c) => (await c.query<{ t: string }>(
    "select table_name as t from information_schema.tables where table_schema = 'public' order by 1")).rows.map((r) => r.t));
const applied = (url: string) =>
  withClient(url, async (c) => (await c.query<{ name: string }>('select name from public.pgmigrations order by id')).rows.map((r) => r.name));

beforeAll(async () => {
  db = await databaseFor({ template: 'rowscope_empty', build: async () => {} });
  dir = await mkdtemp(join(tmpdir(), 'rowscope-migrations-'));
  await writeFile(join(dir, '1_widgets.sql'), '-- Up Migration\ncreate table widgets (id int primary key);\n\n-- Down Migration\ndrop table widgets;\n');
  await writeFile(join(dir, '2_gadgets.sql'), '-- Up Migration\ncreate table gadgets (id int);\n-- Down Migration\ndrop table gadgets;\n');
  await writeFile(join(dir, 'README.md'), 'not a migration');
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('runMigrations', () => {
  it('applies pending Up migrations in order and records them in public.pgmigrations', async () => {
    expect(await runMigrations({ url: db.url, dir })).toEqual(['1_widgets', '2_gadgets']);
    expect(await tables(db.url)).toEqual(['gadgets', 'pgmigrations', 'widgets']);
    expect(await applied(db.url)).toEqual(['1_widgets', '2_gadgets']);
    expect(await runMigrations({ url: db.url, dir })).toEqual([]);
  });

  it('reverts with the Down part, one migration by default', async () => {
    expect(await runMigrations({ url: db.url, dir, direction: 'down' })).toEqual(['2_gadgets']);
    expect(await tables(db.url)).toEqual(['pgmigrations', 'widgets']);
    expect(await applied(db.url)).toEqual(['1_widgets']);
  });

  it('keeps PostgreSQL\'s message when a character outside the BMP comes before the error', async () => {
    // PostgreSQL counts the emoji as one character, JavaScript as two: unmended,
    // node-pg-migrate's caret lands on the line break before missing_x and its
    // ' '.repeat(-1) threw "Invalid count value: -1" instead (src/db/error-position.ts)
    const emojiDir = await mkdtemp(join(tmpdir(), 'rowscope-migrations-emoji-'));
    const emojiDb = await databaseFor({ template: 'rowscope_empty', build: async () => {} });
    try {
      await writeFile(join(emojiDir, '1_emoji.sql'), "-- Up Migration\nselect '\u{1F600}' as smile;\nselect\nmissing_x;\n-- Down Migration\n");
      const lines: string[] = [];
      const error = await runMigrations({ url: emojiDb.url, dir: emojiDir, log: (l) => lines.push(l) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MigrationError);
      expect((error as MigrationError).message).toBe('column "missing_x" does not exist');
      expect((error as MigrationError).code).toBe('42703');
      // the caret stands under missing_x itself
      const shown = lines.join('\n').split('\n');
      const at = shown.indexOf('missing_x;');
      expect(at).toBeGreaterThan(0);
      expect(shown[at + 1]).toBe('^^^^');
    } finally {
      await emojiDb.drop();
      await rm(emojiDir, { recursive: true, force: true });
    }
  });

  it('throws PostgreSQL\'s message and rolls back only the failing migration', async () => {
    // 3_broken creates a table and then fails: the table must not survive.
    await writeFile(join(dir, '3_broken.sql'), '-- Up Migration\ncreate table partial (x int);\nselect * from missing_table;\n-- Down Migration\n');
    const lines: string[] = [];
    const error = await runMigrations({ url: db.url, dir, log: (l) => lines.push(l) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toBe('relation "missing_table" does not exist');
    expect((error as MigrationError).code).toBe('42P01');
    // 2_gadgets ran and committed before 3_broken failed.
    expect(await tables(db.url)).toEqual(['gadgets', 'pgmigrations', 'widgets']);
    expect(await applied(db.url)).toEqual(['1_widgets', '2_gadgets']);
    expect(lines.join('\n')).toContain('missing_table');
  });
});
