// docs/security-model.md "Concepts" (modernized business units: ownershipAcrossBusinessUnits).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('modern');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('ann', 'sales');
  // a role assigned in another BU than the user's own: its scope uses the assignment's BU
  await org.admin('select rowscope.assign_role($1, $2, $3)', [org.id('ann'), 'bu_rep', org.bu('service')]);
  await org.createUser('sam', 'service', ['rep']);
  await org.createUser('sue', 'sales', ['rep']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('modernized business units', () => {
  it('a role assigned in another BU covers that BU, not the user\'s own', async () => {
    await org.record('account', 'in service', 'sam');
    await org.record('account', 'in sales', 'sue');
    expect(await org.visible('ann', 'account')).toEqual(['in service']);
  });

  it('a record may be owned by a user of one BU and belong to another', async () => {
    const [{ id }] = await org.as('ann', `insert into api.account (name, owning_business_unit) values ('ann in service', $1) returning id`, [org.bu('service')]);
    const [row] = await org.admin('select owner_id, owning_business_unit from app.account where id = $1', [id]);
    expect(row).toEqual({ owner_id: org.id('ann'), owning_business_unit: org.bu('service') });
    // owned by ann it is in her user-depth part of the scope wherever it belongs (rule 2)
    await org.as('ann', `insert into api.account (name, owning_business_unit) values ('ann in sales', $1)`, [org.bu('sales')]);
    // owned by someone else and belonging to a BU outside her scope: refused
    const r = await org.refused('ann', `insert into api.account (name, owner_id, owning_business_unit) values ('x', $1, $2)`,
      [org.id('sam'), org.bu('sales')]);
    expect(r.code).toBe('42501');
  });

  it('owning_business_unit can be changed by an update within write scope only', async () => {
    const id = await org.record('account', 'movable', 'ann', { owning_business_unit: org.bu('service') });
    const r = await org.refused('ann', 'update api.account set owning_business_unit = $1 where id = $2', [org.bu('sales'), id]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain('outside the user\'s write scope');
  });

  it('with alwaysMoveRecordToOwnerBusinessUnit off, an assign keeps the owning BU', async () => {
    const id = await org.record('account', 'stays', 'sam');
    await org.as('sam', 'select rowscope.assign($1, $2, $3)', ['account', id, org.id('sue')]);
    const [row] = await org.admin('select owner_id, owning_business_unit from app.account where id = $1', [id]);
    expect(row).toEqual({ owner_id: org.id('sue'), owning_business_unit: org.bu('service') });
  });
});

describe('team roles with modernized business units', () => {
  it('a team role always applies in the team\'s own BU: another BU is refused with 22023', async () => {
    const team = await org.createTeam('service desk', 'service');
    const err = await org.admin('select rowscope.assign_role($1, $2, $3)', [team, 'rep', org.bu('sales')]).catch((e) => e);
    expect(err.code).toBe('22023');
    expect(err.message).toContain("applies in the team's own business unit");
    await org.admin('select rowscope.assign_role($1, $2, $3)', [team, 'rep', org.bu('service')]);
    expect((await org.admin('select count(*)::int as n from rowscope.role_assignment where principal_id = $1', [team]))[0].n).toBe(1);
  });
});
