// SPEC §2 "Moving a user" (issue 17 item 4): move_user removes the user's own
// role assignments (all of them, also those held in other BUs; roles through
// teams stay) unless the model option keepRolesOnBusinessUnitChange is true.
// And (fidelity_keep.yaml) a relationship with reparent none gives the parent's
// owner nothing (sql/145).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

const rolesOf = async (org: Org, persona: string) =>
  (await org.admin<{ name: string }>(
    'select r.name from rowscope.role_assignment a join rowscope.security_role r on r.id = a.role_id where a.principal_id = $1 order by 1',
    [org.id(persona)],
  )).map((r) => r.name);

describe('keepRolesOnBusinessUnitChange off (default)', () => {
  let db: TestDatabase;
  let org: Org;
  beforeAll(async () => {
    db = await securedDatabase('fidelity');
    org = new Org(db.url);
    await org.createBu('root');
    await org.createBu('sales', 'root');
    await org.createBu('service', 'root');
    await org.createUser('admin', 'root', ['seller_admin']);
    await org.createUser('mover', 'sales', ['seller', 'account_reader_bu']);
    await org.createTeam('readers', 'root');
    await org.admin(`select rowscope.assign_role($1, 'account_reader')`, [org.id('readers')]);
    await org.admin('select rowscope.add_team_member($1, $2)', [org.id('readers'), org.id('mover')]);
    await org.record('account', 'movers', 'mover');
  });
  afterAll(async () => {
    await org?.close();
    await db?.drop();
  });

  it('an admin\'s move_user removes every own role; the team\'s role stays', async () => {
    expect(await rolesOf(org, 'mover')).toEqual(['account_reader_bu', 'seller']);
    await org.as('admin', 'select rowscope.move_user($1, $2)', [org.id('mover'), org.bu('service')]);
    expect(await rolesOf(org, 'mover')).toEqual([]);
    expect(await rolesOf(org, 'readers')).toEqual(['account_reader']);
    // account_reader through the team still reads the team's records only: none
    expect(await org.visible('mover', 'account')).toEqual([]);
    const r = await org.refused('mover', `insert into api.account (name) values ('x')`);
    expect(r.code).toBe('42501');
    // the records moved along with their owner
    expect((await org.admin(`select owning_business_unit from app.account where name = 'movers'`))[0].owning_business_unit).toBe(org.bu('service'));
  });

  it('moving to the BU the user is in already changes nothing', async () => {
    await org.admin(`select rowscope.assign_role($1, 'seller')`, [org.id('mover')]);
    await org.admin('select rowscope.move_user($1, $2)', [org.id('mover'), org.bu('service')]);
    expect(await rolesOf(org, 'mover')).toEqual(['seller']);
  });

  it('a refused move removes nothing', async () => {
    await org.createUser('weak', 'root');
    const r = await org.refused('weak', 'select rowscope.move_user($1, $2)', [org.id('mover'), org.bu('sales')]);
    expect(r.code).toBe('42501');
    expect(await rolesOf(org, 'mover')).toEqual(['seller']);
  });
});

describe('keepRolesOnBusinessUnitChange on', () => {
  let db: TestDatabase;
  let org: Org;
  beforeAll(async () => {
    db = await securedDatabase('fidelity_keep');
    org = new Org(db.url);
    await org.createBu('root');
    await org.createBu('sales', 'root');
    await org.createBu('service', 'root');
    await org.createUser('mover', 'sales', ['seller', 'account_reader_bu']);
    await org.createUser('carol', 'sales', ['seller']);
    await org.record('account', 'in_service', 'carol');
  });
  afterAll(async () => {
    await org?.close();
    await db?.drop();
  });

  it('the roles stay and apply in the new BU', async () => {
    await org.admin('select rowscope.move_user($1, $2)', [org.id('carol'), org.bu('service')]);
    expect(await rolesOf(org, 'carol')).toEqual(['seller']);
    expect(await org.visible('mover', 'account')).toEqual([]);
    await org.admin('select rowscope.move_user($1, $2)', [org.id('mover'), org.bu('service')]);
    expect(await rolesOf(org, 'mover')).toEqual(['account_reader_bu', 'seller']);
    expect(await org.visible('mover', 'account')).toEqual(['in_service']);
  });

  it('reparent: none gives the parent\'s owner no read on the child', async () => {
    const a = await org.record('account', 'movers_account', 'mover');
    await org.record('contact', 'carols_contact', 'carol', { account_id: a });
    expect(await org.visible('mover', 'contact')).toEqual([]);
    expect(await org.admin('select count(*)::int as n from rowscope.parent_owner_read')).toEqual([{ n: 0 }]);
  });
});
