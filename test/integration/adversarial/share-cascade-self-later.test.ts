// Regression (issue 14, F14, second path): a child created later under an
// already self-shared parent, or moved onto one, inherited the self-share
// unfiltered (sql/140 _inherit_parent_shares), while the cascade at share time
// (sql/110 _cascade_share) already filtered it.
//
// alice (contact delete at user depth only) shares her account with herself
// (and with her team) with {read,write,delete}; carol then creates a contact
// under it, or moves one of hers onto it: alice must get no delete there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { contactExists, rightsOn, selfShareOrg } from './self-share.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};

const inheritedShare = async (contact: string, principal: string) =>
  (
    await org.admin<{ rights: string[]; shared_by: string | null }>(
      `select rights, shared_by from rowscope.record_share
        where table_name = 'contact' and record_id = $1 and principal_id = $2 and inherited_from_record is not null`,
      [contact, principal],
    )
  )[0];
const tryDelete = (persona: string, id: string) =>
  org.as(persona, 'delete from api.contact where id = $1 returning id', [id]).then(
    (rows) => rows.length,
    () => 0,
  );
const carolContact = async (name: string, accountId: string | null) =>
  (await org.as<{ id: string }>('carol', 'insert into api.contact (name, account_id) values ($1, $2) returning id', [name, accountId]))[0].id;

beforeAll(async () => {
  ({ db, org, account: ids.account } = await selfShareOrg());
  // carol may put her contacts under alice's account
  await org.as('alice', `select rowscope.grant_access('account', $1, $2, '{read,append_to}')`, [ids.account, org.id('carol')]);
  await org.as('alice', `select rowscope.grant_access('account', $1, rowscope.whoami(), '{read,write,delete}')`, [ids.account]);
  await org.as('alice', `select rowscope.grant_access('account', $1, $2, '{read,write,delete}')`, [ids.account, org.id('alice_team')]);
  await org.as('alice', `select rowscope.grant_access('account', $1, $2, '{read,write,delete}')`, [ids.account, org.id('bob')]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('F14: a child that comes under a self-shared parent later inherits only what the sharer holds on it', () => {
  it('a contact carol creates under the account gives alice no delete on it', async () => {
    const id = await carolContact('carol_new', ids.account);
    expect(await rightsOn(org, 'alice', 'contact', id)).toEqual(['read']);
    expect(await tryDelete('alice', id)).toBe(0);
    expect(await contactExists(org, id)).toBe(true);
    // the inherited rows: alice's and her team's filtered, the sharer kept
    const mine = await inheritedShare(id, org.id('alice'));
    expect(mine?.rights).toEqual(['read']);
    expect(mine?.shared_by).toBe(org.id('alice'));
    const team = await inheritedShare(id, org.id('alice_team'));
    expect(team?.rights).toEqual(['read']);
    expect(team?.shared_by).toBe(org.id('alice'));
  });

  it('a contact carol moves onto the account neither', async () => {
    const id = await carolContact('carol_moved', null);
    expect(await rightsOn(org, 'alice', 'contact', id)).toEqual(['read']);
    await org.as('carol', 'update api.contact set account_id = $1 where id = $2', [ids.account, id]);
    expect(await rightsOn(org, 'alice', 'contact', id)).toEqual(['read']);
    expect(await tryDelete('alice', id)).toBe(0);
    expect(await contactExists(org, id)).toBe(true);
  });

  it('a share with somebody else is still inherited in full, with its sharer', async () => {
    const id = await carolContact('carol_for_bob', ids.account);
    expect(await rightsOn(org, 'bob', 'contact', id)).toEqual(['read', 'write', 'delete']);
    const bobs = await inheritedShare(id, org.id('bob'));
    expect(bobs.rights).toEqual(['delete', 'read', 'write']);
    expect(bobs.shared_by).toBe(org.id('alice'));
  });

  it('a contact alice creates under her account keeps what she holds there', async () => {
    const [{ id }] = await org.as<{ id: string }>('alice', 'insert into api.contact (name, account_id) values ($1, $2) returning id', ['alice_new', ids.account]);
    expect(await rightsOn(org, 'alice', 'contact', id)).toEqual(['read', 'write', 'delete', 'append', 'share']);
    expect((await inheritedShare(id, org.id('alice'))).rights).toEqual(['delete', 'read', 'write']);
  });
});
