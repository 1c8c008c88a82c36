// Regression (issue 14, F14): a self-share whose cascade gives the caller
// rights on child records she does not hold (sql/110 _cascade_share).
//
// alice (contact delete at user depth only) shares her own account with
// herself, with delete; the share cascades to a contact carol owns under that
// account, and alice could delete carol's contact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { contactExists, rightsOn, selfShareOrg } from './self-share.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ db, org, account: ids.account } = await selfShareOrg());
  ids.carolContact = await org.record('contact', 'carol_contact', 'carol', { account_id: ids.account });
  ids.aliceContact = await org.record('contact', 'alice_contact', 'alice', { account_id: ids.account });
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('F14: a share with oneself cascades only rights one holds on each child', () => {
  it('grant_access to whoami() gives no delete on carol\'s contact', async () => {
    expect(await rightsOn(org, 'alice', 'contact', ids.carolContact)).toEqual(['read']);
    await org.as('alice', `select rowscope.grant_access('account', $1, rowscope.whoami(), '{read,write,delete}')`, [ids.account]);
    expect(await rightsOn(org, 'alice', 'contact', ids.carolContact)).toEqual(['read']);
    const deleted = await org.as('alice', 'delete from api.contact where id = $1 returning id', [ids.carolContact]).then(
      (rows) => rows.length,
      () => 0,
    );
    expect(deleted).toBe(0);
    expect(await contactExists(org, ids.carolContact)).toBe(true);
  });

  it('modify_access to whoami() neither', async () => {
    await org.as('alice', `select rowscope.modify_access('account', $1, rowscope.whoami(), '{read,write,delete}')`, [ids.account]);
    expect(await rightsOn(org, 'alice', 'contact', ids.carolContact)).toEqual(['read']);
  });

  it('a share with a team alice belongs to neither', async () => {
    await org.as('alice', `select rowscope.grant_access('account', $1, $2, '{read,write,delete}')`, [ids.account, org.id('alice_team')]);
    expect(await rightsOn(org, 'alice', 'contact', ids.carolContact)).toEqual(['read']);
    const [s] = await org.admin(
      'select rights from rowscope.record_share where table_name = $1 and record_id = $2 and principal_id = $3',
      ['contact', ids.carolContact, org.id('alice_team')],
    );
    expect(s?.rights ?? []).not.toContain('delete');
    expect(await contactExists(org, ids.carolContact)).toBe(true);
  });

  it('a share with somebody else still cascades in full (no check per child)', async () => {
    await org.as('alice', `select rowscope.grant_access('account', $1, $2, '{read,write,delete}')`, [ids.account, org.id('bob')]);
    expect(await rightsOn(org, 'bob', 'contact', ids.carolContact)).toEqual(['read', 'write', 'delete']);
    await org.as('alice', `select rowscope.revoke_access('account', $1, $2)`, [ids.account, org.id('bob')]);
    expect(await rightsOn(org, 'bob', 'contact', ids.carolContact)).toEqual(['read']);
  });

  it('alice\'s own contact keeps what she holds there', async () => {
    expect(await rightsOn(org, 'alice', 'contact', ids.aliceContact)).toEqual(['read', 'write', 'delete', 'append', 'share']);
  });
});
