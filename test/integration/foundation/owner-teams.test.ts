// docs/security-model.md rule 2, owner teams: a role held through an owner team applies with
// the team's BU as B; its user depth covers the team's records only, unless the
// assignment's inheritance is direct_user_and_team, which also covers the
// member's own records. A role held directly at user depth covers records of
// the owner teams the user belongs to. Access teams hold no roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminError, close, expectBadArgument, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
const team: Record<string, string> = {};

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('owner_emea', 'emea', ['owner_rw']);
  await org.createUser('owner_service', 'service', ['owner_rw']);
  // members hold no role of their own: all they get comes from the team
  await org.createUser('m_only', 'emea');
  await org.createUser('m_direct', 'emea');
  await org.createUser('m_bu', 'emea');
  await org.createUser('direct_reader', 'emea', ['reader_user']);
  team.only = await org.createTeam('team only', 'sales');
  team.direct = await org.createTeam('team direct', 'sales');
  team.bu = await org.createTeam('team bu', 'service');
  team.plain = await org.createTeam('team plain', 'sales');
  await org.admin(`select rowscope.assign_role($1, 'team_user_rw')`, [team.only]);
  await org.admin(`select rowscope.assign_role($1, 'team_user_rw', null, 'direct_user_and_team')`, [team.direct]);
  await org.admin(`select rowscope.assign_role($1, 'team_bu_read')`, [team.bu]);
  await org.admin('select rowscope.add_team_member($1, $2)', [team.only, org.id('m_only')]);
  await org.admin('select rowscope.add_team_member($1, $2)', [team.direct, org.id('m_direct')]);
  await org.admin('select rowscope.add_team_member($1, $2)', [team.bu, org.id('m_bu')]);
  await org.admin('select rowscope.add_team_member($1, $2)', [team.plain, org.id('direct_reader')]);
  await org.record('account', 'a_team_only', 'team only');
  await org.record('account', 'a_team_direct', 'team direct');
  await org.record('account', 'a_team_plain', 'team plain');
  await org.record('account', 'a_m_only', 'm_only');
  await org.record('account', 'a_m_direct', 'm_direct');
  await org.record('account', 'a_m_bu', 'm_bu');
  await org.record('account', 'a_direct_reader', 'direct_reader');
  await org.record('account', 'a_emea', 'owner_emea');
  await org.record('account', 'a_service', 'owner_service');
});
afterAll(() => close(f));

describe("inheritance 'team_only' (the default)", () => {
  it('user depth covers the team\'s records, not the member\'s own', async () => {
    expect(await f.org.visible('m_only', 'account')).toEqual(['a_team_only']);
  });
  it('the member may write the team\'s record but not reach its own', async () => {
    const { org } = f;
    const [t] = await org.admin(`select id from app.account where name = 'a_team_only'`);
    await org.as('m_only', 'update api.account set revenue = 10 where id = $1', [t.id]);
    const [mine] = await org.admin(`select id from app.account where name = 'a_m_only'`);
    expect(await org.as('m_only', 'update api.account set revenue = 10 where id = $1 returning id', [mine.id])).toEqual([]);
    expect(await org.admin(`select name from app.account where revenue = 10`)).toEqual([{ name: 'a_team_only' }]);
  });
  it('creates records owned by the team (owning BU: the team\'s BU), not by itself', async () => {
    const { org } = f;
    const [row] = await org.as('m_only', `insert into api.account (name, owner_id) values ('m_only_for_team', $1) returning id`, [team.only]);
    expect(await org.admin('select owner_id, owning_business_unit from app.account where id = $1', [row.id]))
      .toEqual([{ owner_id: team.only, owning_business_unit: org.bu('sales') }]);
    const r = await org.refused('m_only', `insert into api.account (name) values ('m_only_for_self')`);
    expectRefusal(r, org, 'm_only', 'create', 'account');
  });
});

describe("inheritance 'direct_user_and_team'", () => {
  it('user depth also covers the member\'s own records', async () => {
    expect(await f.org.visible('m_direct', 'account')).toEqual(['a_m_direct', 'a_team_direct']);
  });
  it('the member creates records it owns itself', async () => {
    const { org } = f;
    const [row] = await org.as('m_direct', `insert into api.account (name) values ('m_direct_own') returning id`);
    expect(await org.admin('select owner_id, owning_business_unit from app.account where id = $1', [row.id]))
      .toEqual([{ owner_id: org.id('m_direct'), owning_business_unit: org.bu('emea') }]);
  });
  it('is recorded on the assignment and can be switched back', async () => {
    const { org } = f;
    await org.admin(`select rowscope.assign_role($1, 'team_user_rw', null, 'team_only')`, [team.direct]);
    expect(await org.visible('m_direct', 'account')).toEqual(['a_team_direct']);
    await org.admin(`select rowscope.assign_role($1, 'team_user_rw', null, 'direct_user_and_team')`, [team.direct]);
    expect(await org.visible('m_direct', 'account')).toContain('a_m_direct');
  });
  it('an unknown inheritance is 22023 naming inheritance', async () => {
    const r = await f.org.refused('m_direct', `select rowscope.assign_role($1, 'team_user_rw', null, 'everything')`, [team.direct]);
    expectBadArgument(r, 'inheritance');
  });
});

describe("the team's BU is the role's BU context", () => {
  it('a business_unit role through a team in service shows service records to an emea member', async () => {
    expect(await f.org.visible('m_bu', 'account')).toEqual(['a_service']);
  });
  it('leaving the team takes it away from the next statement', async () => {
    const { org } = f;
    await org.admin('select rowscope.remove_team_member($1, $2)', [team.bu, org.id('m_bu')]);
    expect(await org.visible('m_bu', 'account')).toEqual([]);
    await org.admin('select rowscope.add_team_member($1, $2)', [team.bu, org.id('m_bu')]);
    expect(await org.visible('m_bu', 'account')).toEqual(['a_service']);
  });
});

describe('a role held directly', () => {
  it('at user depth covers records owned by the owner teams the user belongs to', async () => {
    expect(await f.org.visible('direct_reader', 'account')).toEqual(['a_direct_reader', 'a_team_plain']);
  });
});

describe('access teams', () => {
  it('hold no roles (22023 naming principal_id)', async () => {
    const { org } = f;
    const access = await org.createTeam('access team', 'sales', 'access');
    await org.admin('select rowscope.add_team_member($1, $2)', [access, org.id('m_only')]);
    expectBadArgument(await adminError(org, `select rowscope.assign_role($1, 'reader_org')`, [access]), 'principal_id');
    expect(await org.visible('m_only', 'account')).toEqual(['a_team_only', 'm_only_for_team']);
  });
  it('cannot own records', async () => {
    const { org } = f;
    const [access] = await org.admin(`select id from rowscope.team where team_type = 'access' and name = $1`, [`${org.tag} access team`]);
    await expect(org.admin(`insert into app.account (name, owner_id) values ('owned_by_access_team', $1)`, [access.id]))
      .rejects.toMatchObject({ code: '22023', message: expect.stringContaining('owner_id') });
  });
});
