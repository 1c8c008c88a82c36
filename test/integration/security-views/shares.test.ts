// api.record_share and api.field_share: a share row shows to its principal (or
// the members of its team) and to users holding share on the record; nobody
// else learns of it. Access teams are team rows, not shares.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeViews, column, viewsOrg, type ViewsOrg } from './setup.ts';

let v: ViewsOrg;
let shared: string; // plain's account, shared with other and with hr_team
let teamShared: string; // bu_admin's account... owned by manager, shared with east_team

beforeAll(async () => {
  v = await viewsOrg();
  const { org } = v;
  shared = await org.record('account', 'plain_account', 'plain', { credit_limit: 10 });
  teamShared = await org.record('account', 'manager_account', 'manager');
  await org.as('plain', `select rowscope.grant_access('account', $1, $2, array['read'])`, [shared, org.id('other')]);
  await org.as('plain', `select rowscope.grant_access('account', $1, $2, array['read', 'write'])`, [shared, org.id('hr_team')]);
  await org.as('manager', `select rowscope.grant_access('account', $1, $2, array['read'])`, [teamShared, org.id('east_team')]);
  await org.admin(`select rowscope.share_field('account', $1, 'credit_limit', $2, true, false)`, [shared, org.id('other')]);
});
afterAll(() => closeViews(v));

const sharesOf = (persona: string) =>
  v.org.as(persona, 'select record_id, principal_id, rights, shared_by from api.record_share order by record_id, principal_id');

describe('record_share', () => {
  it('the owner holding share on the record sees every share of it, with who shared', async () => {
    const rows = (await sharesOf('plain')).filter((r) => r.record_id === shared);
    expect(rows.map((r) => r.principal_id).sort()).toEqual([v.org.id('hr_team'), v.org.id('other')].sort());
    expect(rows.every((r) => r.shared_by === v.org.id('plain'))).toBe(true);
  });
  it('a member of a team sees the team\'s shares; a principal sees its own only', async () => {
    // other: shared directly and as a member of hr_team; plain: as a member of east_team
    expect((await sharesOf('other')).map((r) => r.principal_id).sort()).toEqual([v.org.id('hr_team'), v.org.id('other')].sort());
    const plain = await sharesOf('plain');
    expect(plain.filter((r) => r.record_id === teamShared)).toEqual([
      { record_id: teamShared, principal_id: v.org.id('east_team'), rights: ['read'], shared_by: v.org.id('manager') },
    ]);
  });
  it('share at organization depth shows every share of the table', async () => {
    expect((await sharesOf('manager')).length).toBe(3);
  });
  it('anyone else sees none: not the BU admin, not a disabled member', async () => {
    expect(await sharesOf('bu_admin')).toEqual([]);
    expect(await sharesOf('deep_admin')).toEqual([]);
    expect(await sharesOf('disabled')).toEqual([]);
  });
  it('the System Administrator sees them all', async () => {
    expect((await sharesOf('sys')).length).toBe(3);
  });
  it('an access team is a team row with its record, its members in team_member, and no share row', async () => {
    // the fixture model has no access team template: an access team made by hand
    const [{ id }] = await v.org.admin(`select rowscope.create_team($1, $2, 'access') as id`, [`${v.org.tag} access`, v.org.bu('east')]);
    await v.org.admin('select rowscope.add_team_member($1, $2)', [id, v.org.id('plain')]);
    expect(await v.org.as('plain', `select team_type from api.team where id = $1`, [id])).toEqual([{ team_type: 'access' }]);
    expect(await column(v, 'plain', 'team_member', 'team_id')).toContain(id);
    expect((await sharesOf('sys')).some((r) => r.principal_id === id)).toBe(false);
  });
});

describe('field_share', () => {
  it('shows to its principal and to the record\'s sharer, not to others', async () => {
    const expected = [{ table_name: 'account', record_id: shared, column_name: 'credit_limit', principal_id: v.org.id('other'), can_read: true, can_update: false }];
    const q = 'select table_name, record_id, column_name, principal_id, can_read, can_update from api.field_share';
    expect(await v.org.as('other', q)).toEqual(expected);
    expect(await v.org.as('plain', q)).toEqual(expected);
    expect(await v.org.as('bu_admin', q)).toEqual([]);
    expect(await v.org.as('disabled', q)).toEqual([]);
  });
});
