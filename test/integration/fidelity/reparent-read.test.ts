// SPEC §2 Reparent (issue 17 item 2): with a reparent cascade other than none,
// the owner of the parent (a user, or every member of an owning owner team) has
// read on the child, with their own read on the child's table at user depth or
// wider; it follows the parent's current owner and the child's current parent,
// is no share, does not pass through the owner's hierarchy, and explain_access
// names it (sql/145, the records access set of sql/040).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};

const rightsOn = async (persona: string, id: string) =>
  (await org.as<{ r: string[] }>(persona, `select rowscope.check_access('contact', $1) as r`, [id]))[0].r;
const sees = async (persona: string, name: string) => (await org.visible(persona, 'contact')).includes(name);

beforeAll(async () => {
  db = await securedDatabase('fidelity');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('boss', 'sales', ['seller']);
  await org.createUser('alice', 'sales', ['seller']);
  await org.createUser('bob', 'sales', ['seller']);
  await org.createUser('carol', 'sales', ['seller']);
  await org.createUser('nocontact', 'sales', ['account_reader']);
  await org.createUser('member', 'sales', ['seller']);
  await org.admin('select rowscope.set_manager($1, $2)', [org.id('alice'), org.id('boss')]);
  await org.createTeam('owners', 'sales');
  await org.admin(`select rowscope.assign_role($1, 'account_reader')`, [org.id('owners')]);
  for (const m of ['member', 'nocontact']) await org.admin('select rowscope.add_team_member($1, $2)', [org.id('owners'), org.id(m)]);
  ids.alices = await org.record('account', 'alices', 'alice');
  ids.bobs = await org.record('account', 'bobs', 'bob');
  ids.teams = await org.record('account', 'teams', 'owners');
  ids.nocontacts = await org.record('account', 'nocontacts', 'nocontact');
  ids.c1 = await org.record('contact', 'c1', 'carol', { account_id: ids.alices });
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('the owner of the parent reads the child', () => {
  it('alice reads carol\'s contact under her account: read only, no share row', async () => {
    expect(await sees('alice', 'c1')).toBe(true);
    expect(await rightsOn('alice', ids.c1)).toEqual(['read']);
    expect(await org.admin('select count(*)::int as n from rowscope.record_share where record_id = $1', [ids.c1])).toEqual([{ n: 0 }]);
    // and it is not refused like a missing record to her
    expect(await org.as('alice', `select rowscope.check_access('contact', $1) is not null as ok`, [ids.c1])).toEqual([{ ok: true }]);
  });

  it('explain_access names it', async () => {
    const rows = await org.as<{ granted: boolean; reasons: string[] }>('alice',
      `select granted, reasons from rowscope.explain_access('contact', $1) where access_right = 'read'`, [ids.c1]);
    expect(rows[0].granted).toBe(true);
    expect(rows[0].reasons.join('\n')).toContain(`owner of parent account ${ids.alices}`);
  });

  it('not through the owner\'s hierarchy: alice\'s manager does not read it', async () => {
    expect(await sees('boss', 'c1')).toBe(false);
  });

  it('an owner without read on the child\'s table gets nothing', async () => {
    const c = await org.record('contact', 'under_nocontact', 'carol', { account_id: ids.nocontacts });
    expect(await org.visible('nocontact', 'contact')).toEqual([]);
    await expect(org.as('nocontact', `select rowscope.check_access('contact', $1)`, [c])).rejects.toMatchObject({ code: '22023' });
  });

  it('an owning team: each member with their own read on contact', async () => {
    await org.record('contact', 'under_team', 'carol', { account_id: ids.teams });
    expect(await sees('member', 'under_team')).toBe(true);
    expect(await org.visible('nocontact', 'contact')).toEqual([]);
  });
});

describe('it follows the parent\'s owner and the child\'s parent', () => {
  it('a reparent moves it from alice to bob', async () => {
    const c = await org.record('contact', 'moving', 'carol', { account_id: ids.alices });
    expect(await sees('alice', 'moving')).toBe(true);
    expect(await sees('bob', 'moving')).toBe(false);
    await org.admin('update app.contact set account_id = $1 where id = $2', [ids.bobs, c]);
    expect(await sees('alice', 'moving')).toBe(false);
    expect(await sees('bob', 'moving')).toBe(true);
    await org.admin('update app.contact set account_id = null where id = $1', [c]);
    expect(await sees('bob', 'moving')).toBe(false);
  });

  it('an assign of the parent moves it to the new owner (carol\'s child stays hers)', async () => {
    const a = await org.record('account', 'assigned', 'alice');
    const c = await org.record('contact', 'under_assigned', 'carol', { account_id: a });
    expect(await sees('alice', 'under_assigned')).toBe(true);
    await org.as('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('bob')]);
    expect((await org.admin('select owner_id from app.contact where id = $1', [c]))[0].owner_id).toBe(org.id('carol'));
    expect(await sees('alice', 'under_assigned')).toBe(false);
    expect(await sees('bob', 'under_assigned')).toBe(true);
  });

  it('deleting the parent (remove_link) or the child ends it', async () => {
    const a = await org.record('account', 'doomed', 'alice');
    const c = await org.record('contact', 'orphan', 'carol', { account_id: a });
    const c2 = await org.record('contact', 'deleted_child', 'carol', { account_id: ids.alices });
    expect(await sees('alice', 'orphan')).toBe(true);
    await org.admin('delete from app.account where id = $1', [a]);
    expect(await sees('alice', 'orphan')).toBe(false);
    await org.admin('delete from app.contact where id = $1', [c2]);
    expect(await org.admin('select count(*)::int as n from rowscope.parent_owner_read where record_id = any($1)', [[c, c2]])).toEqual([{ n: 0 }]);
  });

  it('at the next statement of a session that read before (own login, cached access sets)', async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(`set role ${org.role('alice')}`);
      const count = async () => (await c.query(`select count(*)::int as n from api.contact where name = 'late'`)).rows[0].n;
      expect(await count()).toBe(0);
      // carol creates a contact under alice's account in another session
      await org.record('contact', 'late', 'carol', { account_id: ids.alices });
      expect(await count()).toBe(1);
      await org.admin(`update app.contact set account_id = $1 where name = 'late'`, [ids.bobs]);
      expect(await count()).toBe(0);
    } finally {
      await c.end();
    }
  });
});

describe('a child created by its owner under a parent it may append to', () => {
  it('the parent owner reads it from the next statement', async () => {
    await org.as('alice', `select rowscope.grant_access('account', $1, $2, '{read,append_to}')`, [ids.alices, org.id('carol')]);
    await org.as('carol', `insert into api.contact (name, account_id) values ('by_carol', $1)`, [ids.alices]);
    expect(await sees('alice', 'by_carol')).toBe(true);
    expect(await sees('carol', 'by_carol')).toBe(true);
  });
});
