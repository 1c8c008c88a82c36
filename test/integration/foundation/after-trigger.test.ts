// The after triggers of user-owned tables (src/compile/triggers.ts) call
// rowscope._tg_after_change (sql/140_relationships.sql) only when it has
// something to do: a lookup column or the owner changed, a row was inserted
// under a parent, or the row guard held an assign back for the end of the
// statement (sql/080, rowscope.assign_pending). Counted with track_functions;
// and what the function does on those writes still happens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};

beforeAll(async () => {
  db = await securedDatabase('sharing');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('alice', 'root', ['sales']);
  await org.createUser('bob', 'root', ['sales']);
  await org.createUser('carol', 'root', ['reader']);
  ids.a1 = await org.record('account', 'a1', 'alice');
  ids.a2 = await org.record('account', 'a2', 'alice');
  ids.c1 = await org.record('contact', 'c1', 'alice', { account_id: ids.a1 });
  await org.as('alice', `select rowscope.grant_access('account', $1, $2, '{read}')`, [ids.a2, org.id('carol')]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

/** Runs one statement (as the persona, or as the deployment administrator) and commits; how often _tg_after_change ran. */
async function afterChangeCalls(persona: string | null, text: string, values: unknown[] = []): Promise<number> {
  const c = await org.pool.connect();
  try {
    await c.query('begin');
    await c.query(`select set_config('track_functions', 'all', true)`);
    // the backend's pending counters, not this statement's: a difference
    const calls = async () => (await c.query<{ n: number }>(
      `select coalesce(pg_stat_get_xact_function_calls('rowscope._tg_after_change()'::regprocedure), 0)::int as n`)).rows[0]!.n;
    const before = await calls();
    if (persona) await c.query(`select set_config('role', $1, true)`, [org.role(persona)]);
    await c.query(text, values);
    const n = (await calls()) - before;
    await c.query('commit');
    return n;
  } catch (error) {
    await c.query('rollback');
    throw error;
  } finally {
    c.release();
  }
}

const contactShares = async (contact: string) =>
  (await org.admin(`select principal_id, inherited_from_record from rowscope.record_share where table_name = 'contact' and record_id = $1`, [contact]))
    .map((r) => `${r.principal_id === org.id('carol') ? 'carol' : r.principal_id} from ${r.inherited_from_record === ids.a2 ? 'a2' : r.inherited_from_record}`);

describe('a write that changes no lookup and no owner never calls it', () => {
  it('a field of a contact, as its owner', async () => {
    expect(await afterChangeCalls('alice', `update api.contact set name = 'c1 renamed' where id = $1`, [ids.c1])).toBe(0);
    expect((await org.admin('select name from app.contact where id = $1', [ids.c1]))[0].name).toBe('c1 renamed');
  });

  it('a field of an account, as the deployment administrator', async () => {
    expect(await afterChangeCalls(null, `update app.account set name = 'a1 renamed' where id = $1`, [ids.a1])).toBe(0);
  });

  it('setting a lookup to the value it has', async () => {
    expect(await afterChangeCalls('alice', 'update api.contact set account_id = $2 where id = $1', [ids.c1, ids.a1])).toBe(0);
  });

  it('an insert under no parent, and any insert into a table that is nobody\'s child', async () => {
    expect(await afterChangeCalls('alice', `insert into api.contact (name) values ('orphan')`)).toBe(0);
    expect(await afterChangeCalls('alice', `insert into api.account (name) values ('a new one')`)).toBe(0);
  });
});

describe('a write it has something to do for calls it, and it does it', () => {
  it('a reparent: the contact takes the new parent\'s shares', async () => {
    expect(await afterChangeCalls('alice', 'update api.contact set account_id = $2 where id = $1', [ids.c1, ids.a2])).toBe(1);
    expect(await contactShares(ids.c1!)).toEqual(['carol from a2']);
    expect(await org.visible('carol', 'contact')).toEqual(['c1 renamed']);
  });

  it('an insert under a shared parent inherits its shares', async () => {
    expect(await afterChangeCalls('alice', `insert into api.contact (name, account_id) values ('under a2', $1)`, [ids.a2])).toBe(1);
    const [{ id }] = await org.admin(`select id from app.contact where name = 'under a2'`);
    expect(await contactShares(id)).toEqual(['carol from a2']);
  });

  it('an assign by UPDATE, which the row guard holds back to the end of the statement: the account and its contacts go to the new owner', async () => {
    // the account's own call, then one for each contact the cascade moves (c1 and 'under a2')
    expect(await afterChangeCalls('alice', 'update api.account set owner_id = $2 where id = $1', [ids.a2, org.id('bob')])).toBeGreaterThanOrEqual(3);
    const owners = await org.admin(`select owner_id from app.contact where account_id = $1`, [ids.a2]);
    expect(owners.map((o) => o.owner_id)).toEqual([org.id('bob'), org.id('bob')]);
    expect((await org.admin('select owner_id from app.account where id = $1', [ids.a2]))[0].owner_id).toBe(org.id('bob'));
  });

  it('an owner change by the deployment administrator: the contacts follow', async () => {
    expect(await afterChangeCalls(null, 'update app.account set owner_id = $2 where id = $1', [ids.a2, org.id('alice')])).toBeGreaterThanOrEqual(1);
    const owners = await org.admin(`select owner_id from app.contact where account_id = $1`, [ids.a2]);
    expect(owners.map((o) => o.owner_id)).toEqual([org.id('alice'), org.id('alice')]);
  });
});
