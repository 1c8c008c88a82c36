// The organization of the F14 regressions (issue 14: a share with oneself
// cascading rights the sharer does not hold; share-cascade-self.test.ts and
// share-cascade-self-later.test.ts): alice, carol and bob are sellers (contact
// delete at user depth only) in one BU, alice is in alice_team, and alice owns
// an account the tests share and put contacts under.
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

export interface SelfShareOrg {
  db: TestDatabase;
  org: Org;
  /** alice's account */
  account: string;
}

export async function selfShareOrg(): Promise<SelfShareOrg> {
  const db = await securedDatabase('escalation');
  const org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('alice', 'root', ['seller']);
  await org.createUser('carol', 'root', ['seller']);
  await org.createUser('bob', 'root', ['seller']);
  await org.createTeam('alice_team', 'root');
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('alice_team'), org.id('alice')]);
  const account = await org.record('account', 'alice_account', 'alice');
  return { db, org, account };
}

/** The rights check_access reports to the persona on the record. */
export async function rightsOn(org: Org, persona: string, table: string, id: string): Promise<string[]> {
  return (await org.as<{ r: string[] }>(persona, 'select rowscope.check_access($1, $2) as r', [table, id]))[0].r;
}

export async function contactExists(org: Org, id: string): Promise<boolean> {
  return (await org.admin('select count(*)::int as n from app.contact where id = $1', [id]))[0].n === 1;
}
