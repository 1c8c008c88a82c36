// SPEC §2 "Create": U needs create on T at a depth whose scope contains the new
// record's owner and owning BU. owner_id defaults to U, owning_business_unit to
// the owner's BU (a team's BU for a team); another owner is allowed within create
// scope. The deployment administrator is no rowscope user and must pass owner_id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminError, close, expectBadArgument, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let serviceTeam: string;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('creator', 'sales', ['owner_rw']);
  await org.createUser('colleague', 'sales', ['owner_rw']);
  await org.createUser('bu_creator', 'sales', ['bu_rw']);
  await org.createUser('emea_user', 'emea', ['owner_rw']);
  await org.createUser('reader', 'sales', ['reader_org']);
  serviceTeam = await org.createTeam('service team', 'service');
  await org.admin('select rowscope.add_team_member($1, $2)', [serviceTeam, org.id('creator')]);
});
afterAll(() => close(f));

const stored = (id: string) =>
  f.org.admin('select owner_id, owning_business_unit, created_by, modified_by from app.account where id = $1', [id]).then((r) => r[0]);

describe('defaults', () => {
  it('owner_id defaults to the user and owning_business_unit to the owner\'s BU', async () => {
    const { org } = f;
    const [row] = await org.as('creator', `insert into api.account (name) values ('c1') returning id`);
    expect(await stored(row.id)).toEqual({
      owner_id: org.id('creator'), owning_business_unit: org.bu('sales'), created_by: org.id('creator'), modified_by: org.id('creator'),
    });
  });
  it('a team owner puts the record in the team\'s BU', async () => {
    const { org } = f;
    const [row] = await org.as('creator', `insert into api.account (name, owner_id) values ('c_team', $1) returning id`, [serviceTeam]);
    expect(await stored(row.id)).toMatchObject({ owner_id: serviceTeam, owning_business_unit: org.bu('service') });
  });
  it('an explicit owning_business_unit equal to the owner\'s BU is accepted', async () => {
    const { org } = f;
    const [row] = await org.as('creator', `insert into api.account (name, owning_business_unit) values ('c_bu', $1) returning id`, [org.bu('sales')]);
    expect(await stored(row.id)).toMatchObject({ owning_business_unit: org.bu('sales') });
  });
});

describe('another owner', () => {
  it('at user depth: another user of the same BU is outside create scope', async () => {
    const { org } = f;
    const r = await org.refused('creator', `insert into api.account (name, owner_id) values ('for_colleague', $1)`, [org.id('colleague')]);
    expectRefusal(r, org, 'creator', 'create', 'account');
    // the colleague is named by id only: creator may not read users (test/integration/adversarial/insert-owner-leaks.test.ts)
    expect(r.message).toContain(org.id('colleague'));
    expect(r.message).not.toContain(org.role('colleague'));
    expect(await org.admin(`select from app.account where name = 'for_colleague'`)).toHaveLength(0);
  });
  it('at business_unit depth: another user of the same BU is within create scope', async () => {
    const { org } = f;
    const [row] = await org.as('bu_creator', `insert into api.account (name, owner_id) values ('bu_for_colleague', $1) returning id`, [org.id('colleague')]);
    expect(await stored(row.id)).toMatchObject({ owner_id: org.id('colleague'), owning_business_unit: org.bu('sales'), created_by: org.id('bu_creator') });
  });
  it('at business_unit depth: a user of a child BU is outside create scope', async () => {
    const { org } = f;
    const r = await org.refused('bu_creator', `insert into api.account (name, owner_id) values ('bu_for_emea', $1)`, [org.id('emea_user')]);
    expectRefusal(r, org, 'bu_creator', 'create', 'account');
    expect(await org.admin(`select from app.account where name = 'bu_for_emea'`)).toHaveLength(0);
  });
  it('an unknown owner is 22023 naming owner_id', async () => {
    const r = await f.org.refused('bu_creator', `insert into api.account (name, owner_id) values ('x', gen_random_uuid())`);
    expectBadArgument(r, 'owner_id');
  });
  it('an owning_business_unit other than the owner\'s BU is 22023 without ownershipAcrossBusinessUnits', async () => {
    const { org } = f;
    const r = await org.refused('bu_creator', `insert into api.account (name, owning_business_unit) values ('x', $1)`, [org.bu('emea')]);
    expectBadArgument(r, 'owning_business_unit');
  });
});

describe('without create', () => {
  it('a user who may only read is refused with 42501 saying what is missing', async () => {
    const r = await f.org.refused('reader', `insert into api.account (name) values ('nope')`);
    expectRefusal(r, f.org, 'reader', 'create', 'account');
    expect(r.message).toContain('no role grants create on account');
  });
  it('the same rule holds for inserts into the data table', async () => {
    const { org } = f;
    expect((await org.refused('reader', `insert into app.account (name) values ('nope_direct')`)).code).toBe('42501');
    expect((await org.refused('creator', `insert into app.account (name, owner_id) values ('nope_direct', $1)`, [org.id('colleague')])).code).toBe('42501');
    const [row] = await org.as('creator', `insert into app.account (name) values ('direct_ok') returning id`);
    expect(await stored(row.id)).toMatchObject({ owner_id: org.id('creator'), owning_business_unit: org.bu('sales') });
  });
});

describe('system columns are the database\'s, not the client\'s', () => {
  it('created_by, created_on, modified_by, modified_on given on insert are replaced', async () => {
    const { org } = f;
    const [row] = await org.as('creator', `insert into api.account (name, created_by, created_on, modified_by, modified_on)
      values ('forged', $1, '2000-01-01', $1, '2000-01-01') returning id`, [org.id('colleague')]);
    const [s] = await org.admin(`select created_by, modified_by, created_on > now() - interval '1 hour' as fresh_c,
      modified_on > now() - interval '1 hour' as fresh_m from app.account where id = $1`, [row.id]);
    expect(s).toEqual({ created_by: org.id('creator'), modified_by: org.id('creator'), fresh_c: true, fresh_m: true });
  });
});

describe('the deployment administrator', () => {
  it('must pass owner_id (22023 naming owner_id)', async () => {
    const e = await adminError(f.org, `insert into app.account (name) values ('orphan')`);
    expectBadArgument(e, 'owner_id');
  });
  it('may create a record for any owner; created_by is null (no rowscope user)', async () => {
    const { org } = f;
    const [row] = await org.admin(`insert into app.account (name, owner_id) values ('by_admin', $1) returning id`, [org.id('emea_user')]);
    expect(await stored(row.id)).toEqual({ owner_id: org.id('emea_user'), owning_business_unit: org.bu('emea'), created_by: null, modified_by: null });
  });
});
