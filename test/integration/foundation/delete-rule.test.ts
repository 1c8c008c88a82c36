// docs/security-model.md "Delete" and "Errors": needs delete on the record; a readable record the
// user may not delete is refused with 42501, an unreadable one is simply absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectRefusal, expectTablePrivilegeRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('deleter', 'sales', ['owner_rw']);
  await org.createUser('colleague', 'sales', ['owner_rw']);
  await org.createUser('bu_deleter', 'sales', ['bu_rw']);
  await org.createUser('no_delete', 'sales', ['writer_no_assign']);
  await org.createUser('user_reader', 'sales', ['reader_user']);
  await org.createUser('emea_user', 'emea', ['owner_rw']);
});
afterAll(() => close(f));

const exists = async (rid: string) => (await f.org.admin('select from app.account where id = $1', [rid])).length === 1;

describe('allowed', () => {
  it('at user depth: own record, through the api view', async () => {
    const rid = await f.org.record('account', 'own', 'deleter');
    expect(await f.org.as('deleter', 'delete from api.account where id = $1 returning id', [rid])).toEqual([{ id: rid }]);
    expect(await exists(rid)).toBe(false);
  });
  it('at user depth: own record, through the data table', async () => {
    const rid = await f.org.record('account', 'own_direct', 'deleter');
    await f.org.as('deleter', 'delete from app.account where id = $1', [rid]);
    expect(await exists(rid)).toBe(false);
  });
  it('at business_unit depth: another user\'s record in the BU', async () => {
    const rid = await f.org.record('account', 'colleagues', 'colleague');
    await f.org.as('bu_deleter', 'delete from api.account where id = $1', [rid]);
    expect(await exists(rid)).toBe(false);
  });
});

describe('refused', () => {
  it('a readable record outside delete scope: 42501 naming user, delete, table, record', async () => {
    const { org } = f;
    const rid = await org.record('account', 'not_mine', 'colleague');
    const r = await org.refused('deleter', 'delete from api.account where id = $1', [rid]);
    expectRefusal(r, org, 'deleter', 'delete', 'account', rid);
    expect(await exists(rid)).toBe(true);
  });
  it('no delete privilege: 42501, even on its own record', async () => {
    const { org } = f;
    const rid = await org.record('account', 'no_delete_own', 'no_delete');
    const r = await org.refused('no_delete', 'delete from api.account where id = $1', [rid]);
    expectTablePrivilegeRefusal(r, 'account');
    expect(await exists(rid)).toBe(true);
  });
  it('one refused row refuses the whole statement', async () => {
    const { org } = f;
    const mine = await org.record('account', 'mine_kept', 'deleter');
    const theirs = await org.record('account', 'theirs_kept', 'colleague');
    expect((await org.refused('deleter', 'delete from api.account where id = any($1::uuid[])', [[mine, theirs]])).code).toBe('42501');
    expect(await exists(mine)).toBe(true);
    expect(await exists(theirs)).toBe(true);
  });
});

describe('not readable', () => {
  it('is simply absent: 0 rows, no error, nothing deleted', async () => {
    const { org } = f;
    const rid = await org.record('account', 'hidden', 'emea_user');
    // a user with no delete on the table at all is refused the statement as such
    expectTablePrivilegeRefusal(await org.refused('user_reader', 'delete from api.account where id = $1 returning id', [rid]), 'account');
    expect(await org.as('bu_deleter', 'delete from app.account where id = $1 returning id', [rid])).toEqual([]);
    expect(await exists(rid)).toBe(true);
  });
});
