// Found by the admin-surface property test (admin-surface.property.test.ts):
// move_user keeps the moved user's own role assignments. docs/security-model.md "Moving a user" (with
// the model option keepRolesOnBusinessUnitChange at its default, false) is
// Dataverse's default behaviour: moving a user removes the roles
// assigned to the user directly; roles held through teams stay. A role kept
// across the move applies in the new BU at once (a business_unit-depth role
// then reaches the new BU's records), which the admin who moved the user never
// granted there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('admin');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createBu('west', 'root');
  await org.createUser('admin', 'root', ['env_admin']);
  await org.createUser('mover', 'east', ['sales_bu']);
  await org.createTeam('crew', 'east');
  await org.admin('select rowscope.assign_role($1, $2)', [org.id('crew'), 'reader_org']);
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('crew'), org.id('mover')]);
  await org.createUser('westerner', 'west', ['sales_user']);
  await org.record('account', 'west_account', 'westerner');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('move_user without keepRolesOnBusinessUnitChange', () => {
  it('removes the roles assigned to the user directly and keeps those held through teams', async () => {
    await org.as('admin', 'select rowscope.move_user($1, $2)', [org.id('mover'), org.bu('west')]);
    const direct = await org.admin('select r.name from rowscope.role_assignment a join rowscope.security_role r on r.id = a.role_id where a.principal_id = $1', [org.id('mover')]);
    expect(direct).toEqual([]);
    const team = await org.admin('select r.name from rowscope.role_assignment a join rowscope.security_role r on r.id = a.role_id where a.principal_id = $1', [org.id('crew')]);
    expect(team.map((r) => r.name)).toEqual(['reader_org']);
    // the BU-depth write of sales_bu does not follow the user into west
    const rights = await org.admin<{ rights: string[] }>('select rowscope.check_access($1, (select id from app.account where name = $2), $3) as rights', ['account', 'west_account', org.id('mover')]);
    expect(rights[0]!.rights).toEqual(['read']);
  });
});
