// A record's history stays with that record (api.audit_log, sql/240_audit_view.sql).
// Users may choose a new record's id; before this was closed, a user who
// re-inserted a deleted record's id saw the deleted record's whole history —
// its old values and whom it was shared with — as the history of their own record.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let reused: string;

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createBu('west', 'root');
  await org.createUser('vic', 'west', ['seller']);
  await org.createUser('friend', 'west', ['seller']);
  // may create accounts and read the history of the accounts she can read
  await org.createUser('mallory', 'east', ['seller', 'bu_auditor']);
  await org.createUser('aud', 'root', ['auditor']);
  reused = (await org.as('vic', `insert into api.account (name, revenue) values ('merger target', 731337) returning id`))[0].id;
  await org.as('vic', 'update api.account set revenue = 731338 where id = $1', [reused]);
  await org.as('vic', `select rowscope.grant_access('account', $1, $2, '{read}')`, [reused, org.id('friend')]);
  await org.as('vic', 'delete from api.account where id = $1', [reused]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const history = (persona: string) =>
  org.as(persona, 'select action, changes from api.audit_log where table_name = $1 and record_id = $2 order by id', ['account', reused]);

describe('re-inserting a deleted record id', () => {
  it("the deleted record's history shows to organization-wide auditors while the id is free", async () => {
    expect((await history('aud')).map((r) => r.action)).toEqual(['insert', 'update', 'share', 'unshare', 'delete']);
  });

  it("the new record shows only its own history to its owner: no old values, no old shares", async () => {
    await org.as('mallory', `insert into api.account (id, name, revenue) values ($1, 'mine', 1)`, [reused]);
    await org.as('mallory', 'update api.account set revenue = 2 where id = $1', [reused]);
    const seen = await history('mallory');
    expect(seen.map((r) => r.action)).toEqual(['insert', 'update']);
    expect(seen[0].changes.name).toEqual({ old: null, new: 'mine' });
    const text = JSON.stringify(seen);
    for (const leaked of ['731337', '731338', 'merger target', org.id('friend')]) expect(text).not.toContain(leaked);
  });

  it('nor to anyone else: the history of the id is the new record\'s', async () => {
    expect((await history('aud')).map((r) => r.action)).toEqual(['insert', 'update']);
  });

  it('the log itself keeps the old history (the chain still verifies)', async () => {
    const raw = await org.admin(`select action from rowscope.audit_log where table_name = 'account' and record_id = $1 order by id`, [reused]);
    expect(raw.map((r) => r.action)).toEqual(['insert', 'update', 'share', 'unshare', 'delete', 'insert', 'update']);
    expect(await org.admin('select * from rowscope.verify_audit()')).toEqual([]);
  });
});
