// Found by the admin-surface property test (admin-surface.property.test.ts):
// a record's access team can be given shares beyond its template's rights
// (grant_access / modify_access accept it as principal), and
// add_access_team_member then hands them to the new member while checking
// only the template's rights against the caller. dan (share and read on the
// account through his BU, write on his own records only) adds erin to the
// `account_readers` team (template: read) of alice's account, to which alice
// had granted write and delete: erin gains write and delete, which dan could
// never have granted her. No admin call may give a principal, through an
// access team or a share, a right the caller could not have granted directly.
// Either refusing shares to a record's access team or asking the caller for
// every right the team holds closes it; this test holds the outcome only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let account: string;

beforeAll(async () => {
  db = await securedDatabase('admin');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('alice', 'root', ['sales_user']);
  await org.createUser('bob', 'root', ['sales_user']);
  await org.createUser('dan', 'root', ['sharer_deep']);
  await org.createUser('erin', 'root', ['sales_user']);
  account = await org.record('account', 'alices_account', 'alice');
  // alice makes the access team (with bob) and gives it more than its template
  await org.as('alice', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', account, 'account_readers', org.id('bob')]);
  const [team] = await org.admin("select id from rowscope.team where record_id = $1 and template = 'account_readers'", [account]);
  await org.as('alice', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', account, team.id, ['write', 'delete']]).catch(() => undefined);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const rightsOf = async (persona: string) =>
  (await org.admin<{ rights: string[] }>('select rowscope.check_access($1, $2, $3) as rights', ['account', account, org.id(persona)]))[0]!.rights;

describe("a record's access team holding more than its template", () => {
  it('dan holds read and share there but not write or delete (the control)', async () => {
    expect(await rightsOf('dan')).toEqual(expect.arrayContaining(['read', 'share']));
    expect(await rightsOf('dan')).not.toContain('write');
    expect(await rightsOf('dan')).not.toContain('delete');
  });
  it('gives a member dan adds nothing dan could not grant', async () => {
    await org.as('dan', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', account, 'account_readers', org.id('erin')]).catch(() => undefined);
    const rights = await rightsOf('erin');
    expect(rights).not.toContain('write');
    expect(rights).not.toContain('delete');
  });
});
