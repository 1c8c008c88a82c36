// SPEC §2 "Audit": users read history through api.audit_log, only with the misc
// privilege view_audit_history, only for records (and principals) they can read,
// with secured column values masked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let east: string; // account in BU east, credit_limit set
let west: string; // account in BU west
let gone: string; // account in BU east, deleted

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createBu('west', 'root');
  await org.createUser('sam', 'east', ['seller']);
  await org.createUser('wes', 'west', ['seller']);
  await org.createUser('aud', 'root', ['auditor']);
  await org.createUser('bua', 'east', ['bu_auditor']);
  await org.createUser('rdr', 'east', ['reader_org']);
  await org.createUser('boss', 'root', ['system_administrator']);
  // secured values are set by the deployment administrator (field security aside)
  east = await org.record('account', 'east', 'sam', { credit_limit: 500 });
  await org.admin('update app.account set credit_limit = 600, revenue = 1 where id = $1', [east]);
  west = (await org.as('wes', `insert into api.account (name) values ('west') returning id`))[0].id;
  gone = (await org.as('sam', `insert into api.account (name) values ('gone') returning id`))[0].id;
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const seen = (persona: string, record: string) =>
  org.as(persona, 'select action, changes from api.audit_log where record_id = $1 order by id', [record]);

describe('who sees history', () => {
  it('reading a record is not enough: view_audit_history is needed', async () => {
    expect(await org.visible('rdr', 'account')).toContain('east');
    expect(await org.as('rdr', 'select * from api.audit_log')).toEqual([]);
    expect(await org.as('sam', 'select * from api.audit_log')).toEqual([]);
  });

  it('an organization-wide reader with view_audit_history sees every record history', async () => {
    expect((await seen('aud', east)).map((r) => r.action)).toEqual(['insert', 'update']);
    expect((await seen('aud', west)).map((r) => r.action)).toEqual(['insert']);
  });

  it('a business-unit reader sees the history of the records it can read only', async () => {
    expect((await seen('bua', east)).map((r) => r.action)).toEqual(['insert', 'update']);
    expect(await seen('bua', west)).toEqual([]);
  });

  it("a deleted record's history shows to organization-wide readers only", async () => {
    expect((await seen('bua', gone)).map((r) => r.action)).toEqual(['insert']);
    await org.as('sam', 'delete from api.account where id = $1', [gone]);
    expect(await seen('bua', gone)).toEqual([]);
    expect((await seen('aud', gone)).map((r) => r.action)).toEqual(['insert', 'delete']);
  });

  it('an assigned record moves its history with it', async () => {
    const [a] = await org.as('sam', `insert into api.account (name) values ('moving') returning id`);
    expect(await seen('bua', a.id)).toHaveLength(1);
    await org.as('sam', `select rowscope.assign('account', $1, $2)`, [a.id, org.id('wes')]);
    expect(await seen('bua', a.id)).toEqual([]);
    expect((await seen('aud', a.id)).map((r) => r.action)).toEqual(['insert', 'assign']);
  });
});

describe('masking', () => {
  it('secured column values are null, old and new, without field read', async () => {
    const [insert, update] = await seen('aud', east);
    expect(insert.changes.credit_limit).toEqual({ old: null, new: null });
    expect(insert.changes.name).toEqual({ old: null, new: 'east' });
    expect(update.changes).toEqual({ credit_limit: { old: null, new: null }, revenue: { old: null, new: 1 } });
  });

  it('System Administrator sees them', async () => {
    const [insert, update] = await seen('boss', east);
    expect(insert.changes.credit_limit).toEqual({ old: null, new: 500 });
    expect(update.changes.credit_limit).toEqual({ old: 500, new: 600 });
  });

  it('the view shows no hashes (a hash over a masked value would let guesses be tested)', async () => {
    const columns = await org.admin(`select column_name from information_schema.columns
      where table_schema = 'api' and table_name = 'audit_log' order by ordinal_position`);
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'at', 'user_id', 'db_role', 'txid', 'table_name', 'record_id', 'action', 'changes']);
  });
});

describe('security changes', () => {
  it('user history needs read on system_user covering that user', async () => {
    const about = (persona: string, user: string) =>
      org.as(persona, `select table_name, action from api.audit_log where record_id = $1 order by id`, [org.id(user)]);
    expect(await about('aud', 'wes')).toEqual([
      { table_name: 'system_user', action: 'create_user' },
      // create_user makes the user a member of the BU's default team
      { table_name: 'team_member', action: 'add_team_member' },
      { table_name: 'role_assignment', action: 'assign_role' },
    ]);
    expect(await about('bua', 'sam')).toHaveLength(3);
    expect(await about('bua', 'wes')).toEqual([]);
    expect(await about('rdr', 'sam')).toEqual([]);
  });

  it('shares show in the history of the shared record', async () => {
    const [a] = await org.as('sam', `insert into api.account (name) values ('shared') returning id`);
    await org.as('sam', `select rowscope.grant_access('account', $1, $2, array['read'])`, [a.id, org.id('wes')]);
    expect((await seen('bua', a.id)).map((r) => r.action)).toEqual(['insert', 'share']);
  });

  it('business unit history needs read on business_unit', async () => {
    const q = 'select action from api.audit_log where record_id = $1';
    expect(await org.as('aud', q, [org.bu('west')])).toEqual([{ action: 'create_business_unit' }]);
    expect(await org.as('bua', q, [org.bu('west')])).toEqual([]);
  });
});
