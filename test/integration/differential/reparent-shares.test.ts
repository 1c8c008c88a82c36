// Share inheritance on reparent, row for row: the database's record_share rows
// of a reparented contact (sql/140 _inherit_parent_shares) equal what the
// reference (src/reference/share-inheritance.ts) derives from the same starting
// shares — who, which rights, inherited from where, shared by whom — including a
// sharer's share with themselves, which passes on only what the sharer holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../../src/model/index.ts';
import { organizationFromModel, reparentRecord, Reference, type Organization, type Share } from '../../../src/reference/index.ts';
import type { Right } from '../../../src/model/types.ts';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { fixtureModelFile, securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;
const ids = new Map<string, string>(); // symbol -> uuid
const symbol = (uuid: string | null) => (uuid === null ? null : [...ids].find(([, u]) => u === uuid)?.[0] ?? uuid);

const USERS: Array<[string, string[]]> = [['alice', ['sales']], ['bob', ['sales']], ['carol', ['reader']], ['dave', ['sales']], ['erin', ['reader']]];

beforeAll(async () => {
  db = await securedDatabase('sharing');
  org = new Org(db.url);
  ids.set('root', await org.createBu('root'));
  for (const [u, roles] of USERS) ids.set(u, await org.createUser(u, 'root', roles));
  ids.set('readers', await org.createTeam('readers', 'root'));
  await org.admin('select rowscope.add_team_member($1, $2)', [ids.get('readers'), ids.get('erin')]);
  await org.admin('select rowscope.add_team_member($1, $2)', [ids.get('readers'), ids.get('bob')]);
  ids.set('a1', await org.record('account', 'a1', 'alice'));
  ids.set('a2', await org.record('account', 'a2', 'bob'));
  ids.set('a3', await org.record('account', 'a3', 'dave'));
  ids.set('c1', await org.record('contact', 'c1', 'alice', { account_id: ids.get('a1') }));
  ids.set('c2', await org.record('contact', 'c2', 'bob', { account_id: null }));
  const grant = (by: string, account: string, to: string, rights: Right[]) =>
    org.as(by, 'select rowscope.grant_access($1, $2, $3, $4)', ['account', ids.get(account), ids.get(to), rights]);
  // c1 inherits these on insert... no: they come after it, and cascade (share: all)
  await grant('alice', 'a1', 'carol', ['read']);
  await grant('alice', 'a1', 'readers', ['read', 'write']);
  await grant('bob', 'a2', 'carol', ['read', 'write', 'delete']);
  // bob's own team: passes on only what bob holds on the child
  await grant('bob', 'a2', 'readers', ['read', 'write', 'share']);
  await grant('dave', 'a3', 'erin', ['read']);
  await org.admin('select rowscope.grant_access($1, $2, $3, $4)', ['account', ids.get('a3'), ids.get('carol'), ['read', 'append']]);
});

afterAll(async () => {
  await org?.close();
  await db?.drop();
});

async function sharesInDb(): Promise<Share[]> {
  const rows = await org.admin(`select table_name, record_id, principal_id, rights, inherited_from_table, inherited_from_record, shared_by
                                from rowscope.record_share order by table_name, record_id, principal_id, id`);
  return rows.map((r) => ({
    table: r.table_name, recordId: symbol(r.record_id)!, principalId: symbol(r.principal_id)!, rights: r.rights,
    ...(r.inherited_from_record ? { inheritedFrom: { table: r.inherited_from_table, recordId: symbol(r.inherited_from_record)! } } : {}),
    sharedBy: symbol(r.shared_by),
  }));
}

/** The reference organization of the database as it is now. */
async function reference(): Promise<Organization> {
  const o = organizationFromModel(await loadModel(fixtureModelFile('sharing')));
  o.businessUnits = [{ id: 'root', parentId: null }];
  o.users = USERS.map(([id]) => ({ id, businessUnitId: 'root', accessMode: 'read_write', disabled: false }));
  const defaults = await org.admin(`select id from rowscope.team where is_default`);
  o.teams = [
    { id: 'readers', businessUnitId: 'root', type: 'owner', members: ['erin', 'bob'] },
    ...defaults.map((t) => ({ id: t.id as string, businessUnitId: 'root', type: 'owner' as const, isDefault: true, members: USERS.map(([u]) => u) })),
  ];
  o.assignments = USERS.flatMap(([principalId, roles]) => roles.map((role) => ({ principalId, role, businessUnitId: null, inheritance: 'team_only' as const })));
  for (const table of ['account', 'contact']) {
    const rows = await org.admin(`select id, owner_id, owning_business_unit${table === 'contact' ? ', account_id' : ''} from app.${table}`);
    o.records[table] = rows.map((r) => ({
      id: symbol(r.id)!, ownerId: symbol(r.owner_id), owningBusinessUnitId: symbol(r.owning_business_unit),
      ...(table === 'contact' ? { parents: { account_id: symbol(r.account_id) } } : {}),
    }));
  }
  o.shares = await sharesInDb();
  return o;
}

const after = new Map<string, string[]>(); // "contact account" -> its share rows after that step

const ofRecord = (shares: Share[], recordId: string) =>
  shares.filter((s) => s.recordId === recordId)
    .map((s) => `${s.principalId} ${[...s.rights].sort().join('+')} from ${s.inheritedFrom?.recordId ?? '-'} by ${s.sharedBy ?? '-'}`).sort();

describe('reparent: the database\'s share rows are the reference\'s', () => {
  it.each([
    ['c1', 'a2'], // from a shared account to one with a sharer's own-team share
    ['c2', 'a1'], // from no account
    ['c1', 'a3'], // shares by a user and by the deployment administrator
    ['c2', 'a2'], // bob's own contact under bob's account: his team gets what bob holds
    ['c1', null], // to no account
  ] as const)('%s to %s', async (contact, account) => {
    const expected = await reference();
    reparentRecord(expected, 'contact', contact, 'account_id', account);
    await org.admin('update app.contact set account_id = $1 where id = $2', [account && ids.get(account), ids.get(contact)]);
    const actual = await sharesInDb();
    expect(ofRecord(actual, contact)).toEqual(ofRecord(expected.shares, contact));
    after.set(`${contact} ${account}`, ofRecord(actual, contact));
    // and who reads the contact: the reference's decision over the database's rows
    const ref = new Reference(expected);
    for (const [u] of USERS) {
      const sees = (await org.as(u, 'select id from api.contact')).map((r) => symbol(r.id));
      const decision = ref.decide(u, 'contact', 'read', contact);
      expect(sees.includes(contact), `${u} reads ${contact} (${decision.reasons.join('; ')})`).toBe(decision.granted);
    }
  });

  it('exercised: a sharer\'s own-team share passes on only what the sharer holds on the child', () => {
    // under a2, bob reads alice's c1 as the owner of its parent (and nothing more), so his
    // share of a2 with his own team reaches it with read only; carol's share of a2 (not
    // bob's own) reaches it whole. The parent owner's read comes before the inheritance
    // (sql/140 _tg_after_change): the other way round the team got nothing.
    expect(after.get('c1 a2')).toEqual(['carol delete+read+write from a2 by bob', 'readers read from a2 by bob']);
    // bob owns c2: the same share reaches it with every right it has
    expect(after.get('c2 a2')).toContain('readers read+share+write from a2 by bob');
    // a1's shares came to c2 (alice's shares are not hers to filter) and went again
    expect(after.get('c2 a1')).toEqual(['carol read from a1 by alice', 'readers read+write from a1 by alice']);
    expect(after.get('c1 null')).toEqual([]);
  });
});
