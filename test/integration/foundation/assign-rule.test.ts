// SPEC §2 "Assign" through an UPDATE of owner_id: needs assign on the record (the
// assign rule alone governs it, though the row then leaves the user's scope); the
// new owner must be an enabled user or an owner team; owning_business_unit moves
// to the new owner's BU; the previous owner keeps nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectBadArgument, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let team: string;
let accessTeam: string;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('assigner', 'sales', ['owner_rw']);
  await org.createUser('colleague', 'sales', ['owner_rw']);
  await org.createUser('bu_assigner', 'sales', ['bu_rw']);
  await org.createUser('no_assign', 'sales', ['writer_no_assign']);
  await org.createUser('service_user', 'service', ['owner_rw']);
  await org.createUser('gone', 'service', ['owner_rw']);
  await org.createUser('prev', 'sales', ['reader_user']);
  await org.createUser('assign_only', 'sales', ['assign_only']);
  team = await org.createTeam('service team', 'service');
  // a new owner must hold read on the table (SPEC §2 Assign)
  await org.admin(`select rowscope.assign_role($1, 'team_user_rw')`, [team]);
  accessTeam = await org.createTeam('access team', 'service', 'access');
  await org.admin('select rowscope.disable_user($1)', [org.id('gone')]);
});
afterAll(() => close(f));

const owner = async (rid: string) =>
  (await f.org.admin('select owner_id, owning_business_unit from app.account where id = $1', [rid]))[0];

describe('allowed', () => {
  it('assign at user depth: own record to a user of another BU; the owning BU follows the owner', async () => {
    const { org } = f;
    const rid = await org.record('account', 'to_service', 'assigner');
    await org.as('assigner', 'update api.account set owner_id = $2 where id = $1', [rid, org.id('service_user')]);
    expect(await owner(rid)).toEqual({ owner_id: org.id('service_user'), owning_business_unit: org.bu('service') });
  });
  it('the previous owner keeps nothing (a user-depth reader loses the record)', async () => {
    const { org } = f;
    const rid = await org.record('account', 'leaves_prev', 'prev');
    expect(await org.visible('prev', 'account')).toEqual(['leaves_prev']);
    await org.admin('update app.account set owner_id = $2 where id = $1', [rid, org.id('service_user')]);
    expect(await owner(rid)).toEqual({ owner_id: org.id('service_user'), owning_business_unit: org.bu('service') });
    expect(await org.visible('prev', 'account')).toEqual([]);
  });
  it('an assign that moves the record out of the assigner\'s read scope is allowed (the assign rule alone)', async () => {
    const { org } = f;
    const rid = await org.record('account', 'leaves_sales', 'bu_assigner');
    expect(await org.visible('bu_assigner', 'account')).toContain('leaves_sales');
    await org.as('bu_assigner', 'update api.account set owner_id = $2 where id = $1', [rid, org.id('service_user')]);
    expect(await owner(rid)).toEqual({ owner_id: org.id('service_user'), owning_business_unit: org.bu('service') });
    expect(await org.visible('bu_assigner', 'account')).not.toContain('leaves_sales');
    expect(await org.as('bu_assigner', 'update api.account set revenue = 1 where id = $1 returning id', [rid])).toEqual([]);
  });
  it('assign at business_unit depth: another user\'s record of the BU, to itself', async () => {
    const { org } = f;
    const rid = await org.record('account', 'taken', 'colleague');
    await org.as('bu_assigner', 'update api.account set owner_id = $2 where id = $1', [rid, org.id('bu_assigner')]);
    expect(await owner(rid)).toEqual({ owner_id: org.id('bu_assigner'), owning_business_unit: org.bu('sales') });
  });
  it('to an owner team: the record moves to the team\'s BU', async () => {
    const { org } = f;
    const rid = await org.record('account', 'to_team', 'assigner');
    await org.as('assigner', 'update api.account set owner_id = $2 where id = $1', [rid, team]);
    expect(await owner(rid)).toEqual({ owner_id: team, owning_business_unit: org.bu('service') });
  });
  it('several records in one UPDATE, each leaving the assigner\'s read scope', async () => {
    const { org } = f;
    const rids = [await org.record('account', 'batch_1', 'bu_assigner'), await org.record('account', 'batch_2', 'bu_assigner')];
    const updated = await org.as('bu_assigner', 'update api.account set owner_id = $2 where id = any ($1) returning id', [rids, org.id('service_user')]);
    expect(updated.map((r) => r.id).sort()).toEqual([...rids].sort());
    for (const rid of rids) expect(await owner(rid)).toEqual({ owner_id: org.id('service_user'), owning_business_unit: org.bu('service') });
    expect(await org.visible('bu_assigner', 'account')).not.toContain('batch_1');
  });
  it('through the data table as well', async () => {
    const { org } = f;
    const rid = await org.record('account', 'direct_assign', 'assigner');
    await org.as('assigner', 'update app.account set owner_id = $2 where id = $1', [rid, org.id('colleague')]);
    expect(await owner(rid)).toEqual({ owner_id: org.id('colleague'), owning_business_unit: org.bu('sales') });
  });
});

describe('assign is governed by the assign right alone', () => {
  it('assign without write: changing only owner_id is allowed', async () => {
    const { org } = f;
    const rid = await org.record('account', 'assign_only_own', 'assign_only');
    await org.as('assign_only', 'update api.account set owner_id = $2 where id = $1', [rid, org.id('colleague')]);
    expect(await owner(rid)).toEqual({ owner_id: org.id('colleague'), owning_business_unit: org.bu('sales') });
  });
  it('assign without write: changing owner_id and a business column too is refused (write)', async () => {
    const { org } = f;
    const rid = await org.record('account', 'assign_and_rename', 'assign_only');
    const r = await org.refused('assign_only', `update api.account set owner_id = $2, name = 'renamed' where id = $1`, [rid, org.id('colleague')]);
    expectRefusal(r, org, 'assign_only', 'write', 'account', rid);
    expect(await org.admin('select name, owner_id from app.account where id = $1', [rid])).toEqual([{ name: 'assign_and_rename', owner_id: org.id('assign_only') }]);
  });
});

describe('refused', () => {
  it('write without assign is not enough (42501 naming assign)', async () => {
    const { org } = f;
    const rid = await org.record('account', 'kept', 'no_assign');
    const r = await org.refused('no_assign', 'update api.account set owner_id = $2 where id = $1', [rid, org.id('colleague')]);
    expectRefusal(r, org, 'no_assign', 'assign', 'account', rid);
    expect(r.message).toContain('no role grants assign on account');
    expect(await owner(rid)).toEqual({ owner_id: org.id('no_assign'), owning_business_unit: org.bu('sales') });
  });
  it('a readable record outside assign scope (user depth, someone else\'s)', async () => {
    const { org } = f;
    const rid = await org.record('account', 'not_mine', 'colleague');
    const r = await org.refused('assigner', 'update api.account set owner_id = $2 where id = $1', [rid, org.id('assigner')]);
    expectRefusal(r, org, 'assigner', 'assign', 'account', rid);
    expect(await owner(rid)).toMatchObject({ owner_id: org.id('colleague') });
  });
  it('a disabled user as the new owner (22023 naming owner_id)', async () => {
    const { org } = f;
    const rid = await org.record('account', 'to_disabled', 'assigner');
    expectBadArgument(await org.refused('assigner', 'update api.account set owner_id = $2 where id = $1', [rid, org.id('gone')]), 'owner_id');
    expect(await owner(rid)).toMatchObject({ owner_id: org.id('assigner') });
  });
  it('an access team or an unknown id as the new owner (22023 naming owner_id)', async () => {
    const { org } = f;
    const rid = await org.record('account', 'to_access_team', 'assigner');
    expectBadArgument(await org.refused('assigner', 'update api.account set owner_id = $2 where id = $1', [rid, accessTeam]), 'owner_id');
    expectBadArgument(await org.refused('assigner', 'update api.account set owner_id = gen_random_uuid() where id = $1', [rid]), 'owner_id');
    expect(await owner(rid)).toMatchObject({ owner_id: org.id('assigner') });
  });
});
