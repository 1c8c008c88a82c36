// Found by the admin-surface property test (admin-surface.property.test.ts):
// rowscope.assign (and an UPDATE of owner_id) accepts a new owner that holds
// no read privilege on the table. docs/security-model.md "Assign": the new owner must
// be an enabled user or an owner team that holds `read` on the table at depth
// >= user (through any of its roles; for a user also through its owner teams'
// roles), otherwise 42501 naming the missing privilege (Dataverse: "missing
// prvRead…"), and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await securedDatabase('admin');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('steward', 'root', ['data_steward']);
  await org.createUser('nobody', 'root');
  await org.createUser('reader', 'root', ['reader_org']);
  await org.createTeam('bare', 'root');
  ids.account = await org.record('account', 'acc', 'steward');
  ids.contact = await org.record('contact', 'con', 'steward');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const owner = async (table: string) => (await org.admin(`select owner_id from app.${table} where id = $1`, [ids[table]]))[0]!.owner_id as string;

describe('assign to a new owner without read on the table', () => {
  for (const table of ['account', 'contact']) {
    it(`is refused with 42501 for a user (${table})`, async () => {
      const err = await org.refused('steward', 'select rowscope.assign($1, $2, $3)', [table, ids[table], org.id('nobody')]);
      expect(err.code).toBe('42501');
      expect(err.message).toMatch(/read/);
      expect(await owner(table)).toBe(org.id('steward'));
    });
    it(`is refused with 42501 for an owner team without roles (${table})`, async () => {
      const err = await org.refused('steward', 'select rowscope.assign($1, $2, $3)', [table, ids[table], org.id('bare')]);
      expect(err.code).toBe('42501');
      expect(await owner(table)).toBe(org.id('steward'));
    });
  }
  it('is allowed for a user holding read (the control)', async () => {
    await org.as('steward', 'select rowscope.assign($1, $2, $3)', ['contact', ids.contact, org.id('reader')]);
    expect(await owner('contact')).toBe(org.id('reader'));
  });
});
