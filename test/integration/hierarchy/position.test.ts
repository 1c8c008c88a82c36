// docs/security-model.md rule 4, position model: crosses BUs, ignores managers, peers get nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('hierarchy_position');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  const pos = async (name: string, parent?: string) =>
    (await org.admin('select rowscope.create_position($1, $2) as id', [`${org.tag} ${name}`, parent ?? null]))[0].id as string;
  const ceo = await pos('ceo');
  const vp = await pos('vp', ceo);
  const rep = await pos('rep', vp);
  const intern = await pos('intern', rep);
  const place = async (persona: string, bu: string, position: string) => {
    await org.createUser(persona, bu, ['rep']);
    await org.admin('select rowscope.set_position($1, $2)', [org.id(persona), position]);
  };
  await place('ceo', 'root', ceo);
  await place('vp', 'service', vp); // another BU than the reps: positions cross BUs
  await place('rep1', 'sales', rep);
  await place('rep2', 'sales', rep);
  await place('intern', 'sales', intern);
  await org.admin('select rowscope.set_manager($1, $2)', [org.id('rep1'), org.id('rep2')]); // ignored by the position model
  for (const p of ['ceo', 'vp', 'rep1', 'rep2', 'intern']) await org.record('account', `acc ${p}`, p);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('position hierarchy', () => {
  it('a higher position reaches lower positions within the depth, across BUs', async () => {
    expect(await org.visible('vp', 'account')).toEqual(['acc intern', 'acc rep1', 'acc rep2', 'acc vp']);
    expect(await org.visible('ceo', 'account')).toEqual(['acc ceo', 'acc rep1', 'acc rep2', 'acc vp']);
  });
  it('users in the same position get nothing from each other, and managers are ignored', async () => {
    expect(await org.visible('rep2', 'account')).toEqual(['acc intern', 'acc rep2']);
  });
  it('closure table equals the recursive view', async () => {
    const diff = await org.admin(`(select * from rowscope.position_closure except select * from rowscope.position_tree)
                                  union all (select * from rowscope.position_tree except select * from rowscope.position_closure)`);
    expect(diff).toEqual([]);
  });
});
