// Inserting with someone else's owner_id (issue F12): at 20fab3e the refusal
// told a disabled user or a missing id (22023 "not an enabled user") from an
// enabled one (42501 "... owned by <login> in BU <name>"). A refusal now names
// only what the caller may know (sql/080_record_guard.sql, _principal_known):
// for a principal the caller cannot read, one answer whatever the principal
// is, with its id only. (An id that is no principal at all is still 22023:
// that tells nothing about anyone.)
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;
let before: unknown;
const owners: Record<string, string> = {};

const accounts = () => org.admin('select id, name, owner_id from app.account order by id');

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales_bu_secret', 'root');
  await org.createBu('service_bu_secret', 'root');
  await org.createUser('attacker', 'sales_bu_secret', ['salesperson']);
  await org.createUser('manager', 'sales_bu_secret', ['sales_manager']);
  await org.createUser('admin_reader', 'sales_bu_secret', ['sales_manager', 'user_admin']);
  owners.peer = await org.createUser('peer_login', 'sales_bu_secret', ['salesperson']);
  owners.peer_disabled = await org.createUser('peer_disabled_login', 'sales_bu_secret', ['salesperson']);
  owners.far = await org.createUser('far_login', 'service_bu_secret', ['salesperson']);
  owners.far_disabled = await org.createUser('far_disabled_login', 'service_bu_secret', ['salesperson']);
  for (const p of ['peer_disabled', 'far_disabled']) await org.admin('select rowscope.disable_user($1)', [owners[p]]);
  owners.far_team = await org.createTeam('far_team_secret', 'service_bu_secret');
  owners.access_team = await org.createTeam('access_team_secret', 'sales_bu_secret', 'access');
  owners.nobody = randomUUID();
  before = await accounts();
});
afterEach(async () => expect(await accounts()).toEqual(before));
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const SECRETS = ['sales_bu_secret', 'service_bu_secret', 'peer_login', 'peer_disabled_login', 'far_login', 'far_disabled_login',
  'far_team_secret', 'access_team_secret', 'disabled', 'business unit'];

/** code + message of each insert, with the owner's own id (which the caller gave) blanked out */
async function answers(persona: string, names: string[], extra = ''): Promise<string[]> {
  const seen: string[] = [];
  for (const name of names) {
    const id = owners[name]!;
    const err = await org.refused(persona, `insert into api.account (name, owner_id${extra ? ', owning_business_unit' : ''}) values ('x', $1${extra ? ', $2' : ''})`,
      extra ? [id, org.bu(extra)] : [id]);
    seen.push(`${err.code} ${err.message.replaceAll(id, '<owner>').replace(/ on account [0-9a-f-]{36}:/, ' on account <new>:')}`);
  }
  return seen;
}

describe('inserting records for principals the caller cannot read', () => {
  it('user-depth create: the same refusal for an enabled and a disabled user and a team, naming none of them', async () => {
    const seen = await answers('attacker', ['peer', 'peer_disabled', 'far', 'far_disabled', 'far_team', 'access_team']);
    expect(new Set(seen).size, seen.join('\n')).toBe(1);
    expect(seen[0]).toMatch(/^42501 rowscope: .* lacks create on account <new>: owner_id <owner> is not an enabled user or owner team/);
    for (const s of SECRETS) expect(seen[0]).not.toContain(s);
  });

  it('business-unit create: a peer in the BU is allowed; every other principal gets the one refusal', async () => {
    const [row] = await org.as('manager', `insert into api.account (name, owner_id) values ('for_peer', $1) returning owner_id`, [owners.peer]);
    expect(row.owner_id).toBe(owners.peer);
    await org.admin(`delete from app.account where name = 'for_peer'`);
    const seen = await answers('manager', ['peer_disabled', 'far', 'far_disabled', 'far_team', 'access_team']);
    expect(new Set(seen).size, seen.join('\n')).toBe(1);
    for (const s of SECRETS) expect(seen[0]).not.toContain(s);
  });

  it('an id that is no principal is a bad argument', async () => {
    const [nobody] = await answers('attacker', ['nobody']);
    expect(nobody).toMatch(/^22023 rowscope: owner_id: <owner> is not an enabled user or an owner team$/);
  });

  it('an owning business unit that is not the owner\'s names no BU of an unreadable owner', async () => {
    const seen = await answers('manager', ['peer', 'far', 'nobody'], 'service_bu_secret');
    for (const s of SECRETS) for (const line of seen) expect(line).not.toContain(s);
  });

  it('a caller who may read the principal still gets the full reason', async () => {
    const err = await org.refused('admin_reader', `insert into api.account (name, owner_id) values ('x', $1)`, [owners.peer_disabled]);
    expect(err.code).toBe('22023');
    expect(err.message).toContain('is not an enabled user or an owner team');
  });
});
