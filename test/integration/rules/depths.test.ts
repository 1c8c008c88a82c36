// docs/security-model.md rule 2: privilege depths user / business_unit / parent_child /
// organization, each seen through the api view as the persona.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('emea', 'sales');
  await org.createBu('service', 'root');
  await org.createUser('owner_sales', 'sales', ['salesperson']);
  await org.createUser('owner_emea', 'emea', ['salesperson']);
  await org.createUser('owner_service', 'service', ['salesperson']);
  await org.createUser('org_reader', 'service', ['reader_org']);
  await org.createUser('deep_reader', 'sales', ['reader_deep']);
  await org.createUser('bu_reader', 'sales', ['reader_bu']);
  await org.createUser('user_reader', 'sales', ['reader_user']);
  await org.createUser('nobody', 'sales');
  await org.record('account', 'a_sales', 'owner_sales');
  await org.record('account', 'a_emea', 'owner_emea');
  await org.record('account', 'a_service', 'owner_service');
  await org.record('account', 'a_user_reader', 'user_reader');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('read depth', () => {
  it('organization sees every record', async () => {
    expect(await org.visible('org_reader', 'account')).toEqual(['a_emea', 'a_sales', 'a_service', 'a_user_reader']);
  });
  it('parent_child sees its BU and the BUs below it', async () => {
    expect(await org.visible('deep_reader', 'account')).toEqual(['a_emea', 'a_sales', 'a_user_reader']);
  });
  it('business_unit sees its own BU only', async () => {
    expect(await org.visible('bu_reader', 'account')).toEqual(['a_sales', 'a_user_reader']);
  });
  it('user sees only what it owns', async () => {
    expect(await org.visible('user_reader', 'account')).toEqual(['a_user_reader']);
  });
  it('no role: nothing, and no error', async () => {
    expect(await org.visible('nobody', 'account')).toEqual([]);
  });
  it('the data table gives the same rows as the api view', async () => {
    for (const persona of ['org_reader', 'deep_reader', 'bu_reader', 'user_reader', 'nobody']) {
      const direct = await org.as(persona, 'select id from app.account order by id');
      const viaView = await org.as(persona, 'select id from api.account order by id');
      expect(direct).toEqual(viaView);
    }
  });
  it('roles add up: the widest scope wins', async () => {
    await org.admin('select rowscope.assign_role($1, $2)', [org.id('user_reader'), 'reader_org']);
    expect(await org.visible('user_reader', 'account')).toHaveLength(4);
    await org.admin('select rowscope.remove_role($1, $2)', [org.id('user_reader'), 'reader_org']);
    expect(await org.visible('user_reader', 'account')).toEqual(['a_user_reader']);
  });
});
