// runAs: the statement runs under the role (RLS applies), the role does not
// outlive the transaction, and only one statement is accepted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAs } from '../../../src/db/as-user.ts';
import { withClient } from '../../../src/db/client.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';

let db: TestDatabase;

beforeAll(async () => {
  db = await databaseFor({
    template: 'rowscope_as_user',
    // Roles are cluster-wide: `if not exists` because another run's template may have made it already.
    build: async (url) => {
      await withClient(url, (c) => c.query(`
      do $$ begin
        if not exists (select from pg_roles where rolname = 'rowscope_test_alice') then create role rowscope_test_alice; end if;
      end $$;
      create table notes (owner text, body text);
      insert into notes values ('rowscope_test_alice', 'mine'), ('bob', 'not mine');
      alter table notes enable row level security;
      create policy own on notes using (owner = current_user);
      grant select on notes to rowscope_test_alice;
    `));
    },
  });
});

afterAll(() => db?.drop());

describe('runAs', () => {
  it('sees what the role sees', async () => {
    expect(await runAs(db.url, 'rowscope_test_alice', 'select body, current_user as who from notes')).toEqual([
      { body: 'mine', who: 'rowscope_test_alice' },
    ]);
  });

  it('refuses a second statement that could leave the role', async () => {
    await expect(runAs(db.url, 'rowscope_test_alice', 'reset role; select body from notes')).rejects.toThrow(/multiple commands/);
  });

  it('gives each clone its own copy of the template', async () => {
    const other = await databaseFor({ template: 'rowscope_as_user', build: async () => { throw new Error('built twice'); } });
    try {
      await withClient(other.url, (c) => c.query('delete from notes'));
      expect(await runAs(db.url, 'rowscope_test_alice', 'select body from notes')).toEqual([{ body: 'mine' }]);
    } finally {
      await other.drop();
    }
  });
});
