// Disagreements the differential tests found where the SQL was wrong by the
// rules of docs/security-model.md, each kept as a named regression test.
//
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('differential_modern');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createUser('owner', 'east', ['account_user_all']);
  await org.record('account', 'a_east', 'owner');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('remove_role after move_user (ownershipAcrossBusinessUnits)', () => {
  // A role assigned in BU east to a user of root is stored with business_unit_id
  // east; after move_user(u, east) remove_role normalises east (now the user's own
  // BU) to null and looks for the null row only, so neither remove_role(u, r, east)
  // nor remove_role(u, r) finds the assignment: 22023 "does not hold role". docs/reference.md
  // remove_role(principal_id, role_name, business_unit_id) must remove it.
  it('removes a role held in the BU the user has moved into', async () => {
    await org.createUser('mover', 'root');
    const mover = org.id('mover');
    await org.admin('select rowscope.assign_role($1, $2, $3)', [mover, 'account_read_bu', org.bu('east')]);
    expect(await org.visible('mover', 'account')).toEqual(['a_east']);
    await org.admin('select rowscope.move_user($1, $2)', [mover, org.bu('east')]);
    await org.admin('select rowscope.remove_role($1, $2, $3)', [mover, 'account_read_bu', org.bu('east')]);
    expect(await org.visible('mover', 'account')).toEqual([]);
  });
});
