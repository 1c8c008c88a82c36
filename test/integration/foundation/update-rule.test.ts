// docs/security-model.md "Update" and "Errors": the row must be in the user's write scope before and
// after. A row the user can read but may not change is refused with 42501 (never
// a silent "0 rows"); rows the user cannot read are simply absent. Nothing is
// half-done. System columns are maintained by the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectBadArgument, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
const id: Record<string, string> = {};

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('writer', 'sales', ['owner_rw']);
  await org.createUser('colleague', 'sales', ['owner_rw']);
  await org.createUser('bu_writer', 'sales', ['bu_rw']);
  await org.createUser('emea_user', 'emea', ['owner_rw']);
  await org.createUser('user_reader', 'sales', ['reader_user']);
  await org.createUser('org_reader', 'sales', ['reader_org']);
  id.mine = await org.record('account', 'mine', 'writer');
  id.colleague = await org.record('account', 'colleagues', 'colleague');
  id.emea = await org.record('account', 'emea', 'emea_user');
});
afterAll(() => close(f));

const revenue = async (key: string) => (await f.org.admin('select revenue from app.account where id = $1', [id[key]]))[0].revenue;

describe('in write scope', () => {
  it('a user-depth writer updates its own record; modified_by/on are set by the database', async () => {
    const { org } = f;
    const [before] = await org.admin('select modified_on from app.account where id = $1', [id.mine]);
    await org.as('writer', 'update api.account set revenue = 1 where id = $1', [id.mine]);
    const [after] = await org.admin('select revenue, modified_by, modified_on from app.account where id = $1', [id.mine]);
    expect(after.revenue).toBe('1');
    expect(after.modified_by).toBe(org.id('writer'));
    expect(after.modified_on.getTime()).toBeGreaterThan(before.modified_on.getTime());
  });
  it('a business_unit-depth writer updates another user\'s record in its BU', async () => {
    await f.org.as('bu_writer', 'update api.account set revenue = 2 where id = $1', [id.colleague]);
    expect(await revenue('colleague')).toBe('2');
  });
  it('the same holds for updates of the data table', async () => {
    await f.org.as('writer', 'update app.account set revenue = 3 where id = $1', [id.mine]);
    expect(await revenue('mine')).toBe('3');
  });
});

describe('readable but not writable', () => {
  it('is 42501 naming the user, write, the table and the record; nothing changes', async () => {
    const { org } = f;
    const r = await org.refused('writer', 'update api.account set revenue = 99 where id = $1', [id.colleague]);
    expectRefusal(r, org, 'writer', 'write', 'account', id.colleague);
    expect(r.message).toContain(org.role('colleague')); // who owns it: what is missing
    expect(await revenue('colleague')).toBe('2');
  });
  it('is 42501 through the data table too', async () => {
    const r = await f.org.refused('writer', 'update app.account set revenue = 99 where id = $1', [id.colleague]);
    expectRefusal(r, f.org, 'writer', 'write', 'account', id.colleague);
  });
  it('with no write privilege at all, the message says no role grants it', async () => {
    const r = await f.org.refused('org_reader', 'update api.account set revenue = 99 where id = $1', [id.mine]);
    expectRefusal(r, f.org, 'org_reader', 'write', 'account', id.mine);
    expect(r.message).toContain('no role grants write on account');
  });
  it('one refused row refuses the whole statement (nothing half-done)', async () => {
    const { org } = f;
    const r = await org.refused('writer', 'update api.account set revenue = 50 where id = any($1::uuid[])', [[id.mine, id.colleague]]);
    expect(r.code).toBe('42501');
    expect(await revenue('mine')).toBe('3');
    expect(await revenue('colleague')).toBe('2');
  });
});

describe('not readable', () => {
  it('is simply absent: 0 rows, no error, nothing changes', async () => {
    const { org } = f;
    expect(await org.as('user_reader', 'update api.account set revenue = 77 where id = $1 returning id', [id.colleague])).toEqual([]);
    expect(await org.as('bu_writer', 'update api.account set revenue = 77 where id = $1 returning id', [id.emea])).toEqual([]);
    expect(await org.as('bu_writer', 'update app.account set revenue = 77 where id = $1 returning id', [id.emea])).toEqual([]);
    expect(await revenue('emea')).toBeNull();
  });
  it('an unfiltered update reaches only readable rows and refuses the readable ones it may not write', async () => {
    const { org } = f;
    // user_reader reads nothing here (owns nothing): 0 rows
    expect(await org.as('user_reader', 'update api.account set revenue = 5 returning id')).toEqual([]);
    // writer reads all three but may write only its own: refused as a whole
    expect((await org.refused('writer', 'update api.account set revenue = 5')).code).toBe('42501');
    expect(await revenue('mine')).toBe('3');
  });
});

describe('columns the client cannot set', () => {
  it('created_by / created_on / modified_by / modified_on in SET are replaced by the database\'s values', async () => {
    const { org } = f;
    const [before] = await org.admin('select created_by, created_on from app.account where id = $1', [id.mine]);
    await org.as('writer', `update api.account set revenue = 4, created_by = $2, created_on = '2000-01-01',
      modified_by = $2, modified_on = '2000-01-01' where id = $1`, [id.mine, org.id('colleague')]);
    const [after] = await org.admin('select created_by, created_on, modified_by, modified_on from app.account where id = $1', [id.mine]);
    expect(after.created_by).toEqual(before.created_by);
    expect(after.created_on).toEqual(before.created_on);
    expect(after.modified_by).toBe(org.id('writer'));
    expect(after.modified_on.getFullYear()).toBeGreaterThan(2000);
  });
  it('owning_business_unit cannot be changed without ownershipAcrossBusinessUnits (22023)', async () => {
    const { org } = f;
    const r = await org.refused('bu_writer', 'update api.account set owning_business_unit = $2 where id = $1', [id.colleague, org.bu('emea')]);
    expectBadArgument(r, 'owning_business_unit');
    expect((await org.admin('select owning_business_unit from app.account where id = $1', [id.colleague]))[0].owning_business_unit).toBe(org.bu('sales'));
  });
  it('id cannot be changed (22023 naming id)', async () => {
    const r = await f.org.refused('writer', 'update api.account set id = gen_random_uuid() where id = $1', [id.mine]);
    expectBadArgument(r, 'id');
  });
});
