// SPEC §2 "Default business-unit teams" (issue 17 item 3): every BU has an owner
// team named after it whose members are exactly the BU's users (create_user,
// move_user); add/remove_team_member on it is 22023, checked first; it holds
// roles and profiles and owns records; create_user and move_user need what
// giving its roles and profiles needs (sql/074).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

const defaultTeam = async (bu: string) =>
  (await org.admin('select id, name, team_type from rowscope.team where business_unit_id = $1 and is_default', [org.bu(bu)]))[0];
const membersOf = async (team: string) =>
  (await org.admin<{ db_role: string }>('select u.db_role from rowscope.team_member m join rowscope.system_user u on u.id = m.user_id where m.team_id = $1 order by 1', [team])).map((r) => r.db_role);
const userCount = async (role: string) =>
  (await org.admin('select count(*)::int as n from rowscope.system_user where db_role = $1', [role]))[0].n;

beforeAll(async () => {
  db = await securedDatabase('fidelity');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('plain', 'root');
  await org.createUser('admin', 'root', ['user_admin']);
  await org.createUser('strong_admin', 'root', ['seller_admin']);
  await org.createUser('judy', 'sales');
  await org.createUser('other', 'sales', ['seller']);
  // the sales BU's default team holds seller
  await org.admin(`select rowscope.assign_role($1, 'seller')`, [(await defaultTeam('sales')).id]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('every business unit has its default team', () => {
  it('an owner team named after the BU, whose members are the BU\'s users', async () => {
    const t = await defaultTeam('sales');
    expect(t).toMatchObject({ name: `${org.tag} sales`, team_type: 'owner' });
    expect(await membersOf(t.id)).toEqual([org.role('judy'), org.role('other')].sort());
    expect(await membersOf((await defaultTeam('root')).id)).toEqual([org.role('admin'), org.role('strong_admin')].sort());
  });

  it('a BU whose name a team has already is refused (22023), nothing created', async () => {
    await org.createTeam('taken', 'root');
    const before = (await org.admin('select count(*)::int as n from rowscope.business_unit'))[0].n;
    await expect(org.admin('select rowscope.create_business_unit($1, $2)', [`${org.tag} taken`, org.bu('root')]))
      .rejects.toMatchObject({ code: '22023', message: expect.stringContaining('a team named') });
    expect((await org.admin('select count(*)::int as n from rowscope.business_unit'))[0].n).toBe(before);
  });

  it('move_user moves the membership', async () => {
    await org.createUser('mover', 'sales');
    await org.admin('select rowscope.move_user($1, $2)', [org.id('mover'), org.bu('plain')]);
    expect(await membersOf((await defaultTeam('sales')).id)).not.toContain(org.role('mover'));
    expect(await membersOf((await defaultTeam('plain')).id)).toContain(org.role('mover'));
  });
});

describe('its members are not managed by hand (22023, checked first)', () => {
  it('add_team_member and remove_team_member, even by a caller without any privilege', async () => {
    const t = (await defaultTeam('sales')).id;
    for (const fn of ['add_team_member', 'remove_team_member']) {
      const r = await org.refused('judy', `select rowscope.${fn}($1, $2)`, [t, org.id('admin')]);
      expect(r.code).toBe('22023');
      expect(r.message).toContain('is the default team of business unit');
      await expect(org.admin(`select rowscope.${fn}($1, $2)`, [t, org.id('admin')])).rejects.toMatchObject({ code: '22023' });
    }
    expect(await membersOf(t)).toEqual([org.role('judy'), org.role('other')].sort());
  });
});

describe('it holds roles and owns records like any owner team', () => {
  it('judy, with no role of her own, creates records owned by the team and reads them through its role', async () => {
    const t = (await defaultTeam('sales')).id;
    await org.as('judy', `insert into api.account (name, owner_id) values ('judys', $1)`, [t]);
    expect(await org.visible('judy', 'account')).toEqual(['judys']);
    // the team's role at user depth covers the team's records only (team_only)
    expect((await org.refused('judy', `insert into api.account (name) values ('mine')`)).code).toBe('42501');
  });

  it('a record owned by the default team is read by every user of the BU', async () => {
    const t = (await defaultTeam('sales')).id;
    const a = await org.record('account', 'team_owned', 'other');
    await org.as('other', 'select rowscope.assign($1, $2, $3)', ['account', a, t]);
    expect(await org.visible('judy', 'account')).toContain('team_owned');
    expect(await org.visible('other', 'account')).toContain('team_owned');
  });
});

describe('creating or moving a user into the BU needs what its roles and profiles need', () => {
  it('an admin without seller\'s privileges may not create a user in sales (42501), nothing created', async () => {
    const r = await org.refused('admin', 'select rowscope.create_user($1, $2)', [org.role('new_sales'), org.bu('sales')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain('may not assign role seller');
    expect(await userCount(org.role('new_sales'))).toBe(0);
    expect(await org.admin('select count(*)::int as n from pg_roles where rolname = $1', [org.role('new_sales')])).toEqual([{ n: 0 }]);
  });

  it('nor move one there; nothing changes', async () => {
    await org.createUser('stay', 'plain');
    const r = await org.refused('admin', 'select rowscope.move_user($1, $2)', [org.id('stay'), org.bu('sales')]);
    expect(r.code).toBe('42501');
    expect((await org.admin('select business_unit_id from rowscope.system_user where id = $1', [org.id('stay')]))[0].business_unit_id).toBe(org.bu('plain'));
    expect(await membersOf((await defaultTeam('plain')).id)).toContain(org.role('stay'));
  });

  it('into a BU whose default team holds nothing, the same admin may', async () => {
    const id = (await org.as('admin', 'select rowscope.create_user($1, $2) as id', [org.role('new_plain'), org.bu('plain')]))[0].id;
    expect(await membersOf((await defaultTeam('plain')).id)).toContain(org.role('new_plain'));
    await org.admin('select rowscope.disable_user($1)', [id]);
  });

  it('an admin holding seller may create users in sales', async () => {
    await org.as('strong_admin', 'select rowscope.create_user($1, $2)', [org.role('new_sales2'), org.bu('sales')]);
    expect(await userCount(org.role('new_sales2'))).toBe(1);
  });

  it('a profile on the default team: the admin needs its column permissions too', async () => {
    const t = (await defaultTeam('plain')).id;
    await org.admin(`select rowscope.add_profile_member('credit_view', $1)`, [t]);
    const r = await org.refused('strong_admin', 'select rowscope.create_user($1, $2)', [org.role('new_plain2'), org.bu('plain')]);
    expect(r.code).toBe('42501');
    expect(await userCount(org.role('new_plain2'))).toBe(0);
    await org.admin(`select rowscope.remove_profile_member('credit_view', $1)`, [t]);
  });
});

describe('upgrade: a database made before default teams gets them, idempotently', () => {
  it('the core SQL\'s upgrade step creates the missing team with the BU\'s users', async () => {
    const file = fileURLToPath(new URL('../../../sql/074_default_teams.sql', import.meta.url));
    const upgrade = /do \$upgrade\$[\s\S]*\$upgrade\$;/.exec(readFileSync(file, 'utf8'))![0];
    const old = (await defaultTeam('plain')).id;
    // as before default teams: the plain BU has none
    await org.admin('delete from rowscope.team where id = $1', [old]);
    await org.admin('delete from rowscope.principal where id = $1', [old]);
    expect(await defaultTeam('plain')).toBeUndefined();
    await org.admin(upgrade);
    await org.admin(upgrade);
    const t = await defaultTeam('plain');
    expect(t.name).toBe(`${org.tag} plain`);
    expect(await membersOf(t.id)).toEqual(expect.arrayContaining([org.role('mover'), org.role('stay')]));
    expect((await org.admin('select count(*)::int as n from rowscope.team where is_default'))[0].n)
      .toBe((await org.admin('select count(*)::int as n from rowscope.business_unit'))[0].n);
  });
});
