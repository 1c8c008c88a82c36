// SPEC §2 "Assign", "Append / AppendTo", "Delete" cascades and "Access teams".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('sharing');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('alice', 'sales', ['sales']);
  await org.createUser('dave', 'service', ['sales']);
  await org.createUser('bob', 'sales', ['reader']);
  await org.createUser('mgr', 'sales', ['bu_manager']);
  await org.createUser('gone', 'sales', ['sales']);
  await org.admin('select rowscope.disable_user($1)', [org.id('gone')]);
  await org.createTeam('owners', 'service');
  // a new owner must hold read on the table (SPEC §2 Assign)
  await org.admin(`select rowscope.assign_role($1, 'reader')`, [org.id('owners')]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const ownerOf = async (table: string, id: string) =>
  (await org.admin(`select owner_id, owning_business_unit from app.${table === 'account' ? 'account' : 'contact'} where id = $1`, [id]))[0];

describe('assign', () => {
  it('moves the record and its children to the new owner and owner BU; the previous owner keeps nothing', async () => {
    const a = await org.record('account', 'assign-a', 'alice');
    const c = await org.record('contact', 'assign-c', 'alice', { account_id: a });
    await org.as('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('dave')]);
    expect(await ownerOf('account', a)).toEqual({ owner_id: org.id('dave'), owning_business_unit: org.bu('service') });
    expect(await ownerOf('contact', c)).toEqual({ owner_id: org.id('dave'), owning_business_unit: org.bu('service') });
    expect(await org.visible('alice', 'account')).not.toContain('assign-a');
    expect(await org.visible('dave', 'contact')).toContain('assign-c');
  });

  it('an UPDATE of owner_id through the api view is an assign', async () => {
    const a = await org.record('account', 'assign-view', 'alice');
    await org.as('alice', 'update api.account set owner_id = $1 where id = $2', [org.id('owners'), a]);
    expect(await ownerOf('account', a)).toEqual({ owner_id: org.id('owners'), owning_business_unit: org.bu('service') });
  });

  it('needs assign on the record', async () => {
    const a = await org.record('account', 'assign-refused', 'alice');
    await org.as('alice', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a, org.id('bob'), ['read']]);
    const r = await org.refused('bob', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('bob')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(`lacks assign on account ${a}`);
    expect((await ownerOf('account', a)).owner_id).toBe(org.id('alice'));
  });

  it('the new owner must be an enabled user or an owner team', async () => {
    const a = await org.record('account', 'assign-disabled', 'alice');
    const r = await org.refused('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('gone')]);
    expect(r.code).toBe('22023');
    expect(r.message).toMatch(/owner_id: .* is not an enabled user or an owner team/);
  });

  it('a record the caller cannot read is reported like a missing one', async () => {
    const a = await org.record('account', 'assign-hidden', 'dave');
    const r = await org.refused('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('alice')]);
    expect(r.code).toBe('22023');
    expect(r.message).toContain('no such record');
  });
});

describe('append and append_to', () => {
  it('linking a contact to an account needs append on the contact and append_to on the account', async () => {
    const mine = await org.record('account', 'append-mine', 'alice');
    const [{ id }] = await org.as('alice', `insert into api.contact (name, account_id) values ('linked', $1) returning id`, [mine]);
    expect(id).toBeTruthy();
    // dave's account is outside alice's append_to scope (user depth) and unreadable: no such record
    const theirs = await org.record('account', 'append-theirs', 'dave');
    const r = await org.refused('alice', `insert into api.contact (name, account_id) values ('x', $1)`, [theirs]);
    expect(r.code).toBe('22023');
    // readable through a share of read only: append_to is missing
    await org.as('dave', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', theirs, org.id('alice'), ['read']]);
    const r2 = await org.refused('alice', `update api.contact set account_id = $1 where id = $2`, [theirs, id]);
    expect(r2.code).toBe('42501');
    expect(r2.message).toContain(`lacks append_to on account ${theirs}`);
    // shared append_to: allowed
    await org.as('dave', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', theirs, org.id('alice'), ['append_to']]);
    await org.as('alice', `update api.contact set account_id = $1 where id = $2`, [theirs, id]);
    expect((await org.admin('select account_id from app.contact where id = $1', [id]))[0].account_id).toBe(theirs);
  });
});

describe('delete cascade', () => {
  it('deleting an account deletes its contacts (cascade)', async () => {
    const a = await org.record('account', 'del-a', 'alice');
    await org.record('contact', 'del-c', 'alice', { account_id: a });
    await org.as('alice', 'delete from api.account where id = $1', [a]);
    expect(await org.admin(`select name from app.contact where name = 'del-c'`)).toEqual([]);
  });

  it('a child the caller may not delete refuses the whole delete and nothing is removed', async () => {
    const a = await org.record('account', 'del-b', 'mgr');
    await org.record('contact', 'del-b-own', 'mgr', { account_id: a });
    await org.record('contact', 'del-b-other', 'dave', { account_id: a });
    const r = await org.refused('mgr', 'delete from api.account where id = $1', [a]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain('lacks delete on contact');
    expect(await org.admin(`select name from app.contact where name like 'del-b%' order by name`)).toEqual([{ name: 'del-b-other' }, { name: 'del-b-own' }]);
    expect(await org.admin(`select name from app.account where id = $1`, [a])).toEqual([{ name: 'del-b' }]);
  });
});

describe('access teams', () => {
  it('members get exactly the template rights on that one record', async () => {
    const a = await org.record('account', 'team-a', 'alice');
    const other = await org.record('account', 'team-other', 'alice');
    await org.as('alice', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', a, 'account_team', org.id('dave')]);
    const seen = await org.visible('dave', 'account');
    expect(seen).toContain('team-a');
    expect(seen).not.toContain('team-other');
    await org.as('dave', `update api.account set name = 'team-a' where id = $1`, [a]);
    const r = await org.refused('dave', 'delete from api.account where id = $1', [a]);
    expect(r.code).toBe('42501');
    await org.as('alice', 'select rowscope.remove_access_team_member($1, $2, $3, $4)', ['account', a, 'account_team', org.id('dave')]);
    expect(await org.visible('dave', 'account')).not.toContain('team-a');
    expect(other).toBeTruthy();
  });

  it('the member must hold each template right at user depth', async () => {
    const a = await org.record('account', 'team-b', 'alice');
    const r = await org.refused('alice', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', a, 'account_team', org.id('bob')]);
    expect(r.code).toBe('42501');
    expect(r.message).toMatch(/holds no write privilege on account/);
  });

  it('the caller needs share on the record and the template rights', async () => {
    const a = await org.record('account', 'team-c', 'alice');
    await org.as('alice', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a, org.id('bob'), ['read']]);
    const r = await org.refused('bob', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', a, 'account_team', org.id('dave')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain('lacks share on account');
  });
});
