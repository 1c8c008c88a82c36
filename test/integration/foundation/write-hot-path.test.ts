// The row guard's hot path (sql/080_record_guard.sql, docs/performance.md "Writes"):
// the common allowed insert, update and delete are decided from one probe of
// the acting user and the session's cached grant summary. One long-lived
// session writes as the persona statement after statement (autocommit, so its
// cache outlives transactions, as on a pooled connection) while an admin on
// other connections changes security data: the hot path must follow every
// change at the next statement, and fall back to the general checks (and their
// refusals) for everything it does not cover.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectBadArgument, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let session: pg.Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('writer', 'sales', ['owner_rw']);
  await org.createUser('colleague', 'sales', ['owner_rw']);
  await org.createUser('bu_writer', 'sales', ['bu_rw']);
  ids.colleague = await org.record('account', 'colleagues', 'colleague');
  session = new pg.Client({ connectionString: f.db.url });
  session.on('error', () => {});
  await session.connect();
});
afterAll(async () => {
  await session?.end();
  await close(f);
});

/** One autocommit statement of the long-lived session as the persona; the error, if any. */
async function as(persona: string, text: string, values: unknown[] = []): Promise<{ rows: any[]; error?: any }> {
  await session.query(`select set_config('role', $1, false)`, [f.org.role(persona)]);
  try {
    // a read first: it creates the session's cache (sql/045), which writes then use
    await session.query('select count(*) from api.account');
    return { rows: (await session.query(text, values)).rows };
  } catch (error) {
    return { rows: [], error };
  } finally {
    await session.query('reset role');
  }
}

const row = async (id: string) => (await f.org.admin('select * from app.account where id = $1', [id]))[0];
const count = async (name: string) => Number((await f.org.admin('select count(*) as n from app.account where name = $1', [name]))[0].n);

describe('insert', () => {
  it('the own record in the own business unit: owner, BU and system columns as the general path sets them', async () => {
    const { org } = f;
    const [{ id }] = (await as('writer', `insert into api.account (name) values ('hot 1') returning id`)).rows;
    const r = await row(id);
    expect(r.owner_id).toBe(org.id('writer'));
    expect(r.owning_business_unit).toBe(org.bu('sales'));
    expect(r.created_by).toBe(org.id('writer'));
    expect(r.modified_by).toBe(org.id('writer'));
    ids.mine = id;
  });

  it('naming the own id and BU explicitly is the same hot path', async () => {
    const { org } = f;
    const { rows } = await as('writer', `insert into api.account (name, owner_id, owning_business_unit) values ('hot 2', $1, $2) returning owner_id`, [org.id('writer'), org.bu('sales')]);
    expect(rows[0].owner_id).toBe(org.id('writer'));
  });

  it('another BU for the own record is still the general path: 22023 naming owning_business_unit', async () => {
    const { org } = f;
    const { error } = await as('writer', `insert into api.account (name, owning_business_unit) values ('hot 3', $1)`, [org.bu('emea')]);
    expectBadArgument(error, 'owning_business_unit');
    expect(await count('hot 3')).toBe(0);
  });

  it('follows a removed role at the next statement of the same session: 42501 naming create, nothing inserted', async () => {
    const { org } = f;
    expect((await as('writer', `insert into api.account (name) values ('hot 4')`)).error).toBeUndefined();
    await org.admin(`select rowscope.assign_role($1, 'reader_org')`, [org.id('writer')]); // keeps it reading
    await org.admin(`select rowscope.remove_role($1, 'owner_rw')`, [org.id('writer')]);
    try {
      const { error } = await as('writer', `insert into api.account (name) values ('hot 5')`);
      expectRefusal(error, org, 'writer', 'create', 'account');
      expect(await count('hot 5')).toBe(0);
    } finally {
      await org.admin(`select rowscope.assign_role($1, 'owner_rw')`, [org.id('writer')]);
      await org.admin(`select rowscope.remove_role($1, 'reader_org')`, [org.id('writer')]);
    }
  });
});

describe('update', () => {
  it('the own record: allowed, modified_by set', async () => {
    const { org } = f;
    await as('writer', 'update api.account set revenue = 7 where id = $1', [ids.mine]);
    const r = await row(ids.mine!);
    expect(r.revenue).toBe('7');
    expect(r.modified_by).toBe(org.id('writer'));
  });

  it('a colleague\'s record it reads but may not write falls back to the refusal: 42501 naming write and the record', async () => {
    const { org } = f;
    const { error } = await as('writer', 'update api.account set revenue = 8 where id = $1', [ids.colleague]);
    expectRefusal(error, org, 'writer', 'write', 'account', ids.colleague);
    expect((await row(ids.colleague!)).revenue).toBeNull();
  });

  it('follows an access mode change at the next statement: read mode refuses the own record\'s update', async () => {
    const { org } = f;
    await org.admin(`select rowscope.set_access_mode($1, 'read')`, [org.id('writer')]);
    try {
      const { error } = await as('writer', 'update api.account set revenue = 9 where id = $1', [ids.mine]);
      expectRefusal(error, org, 'writer', 'write', 'account', ids.mine);
      expect((await row(ids.mine!)).revenue).toBe('7');
    } finally {
      await org.admin(`select rowscope.set_access_mode($1, 'read_write')`, [org.id('writer')]);
    }
  });

  it('a business_unit writer updates a colleague\'s record through its BU grant', async () => {
    await as('bu_writer', 'update api.account set revenue = 10 where id = $1', [ids.colleague]);
    expect((await row(ids.colleague!)).revenue).toBe('10');
  });
});

describe('the cached grant summary the guard reads itself', () => {
  it('ignores a cache table of that name the user made first: update and delete of a colleague\'s record refused, nothing changed', async () => {
    const { org } = f;
    const own = new pg.Client({ connectionString: f.db.url });
    own.on('error', () => {});
    await own.connect();
    try {
      await own.query(`select set_config('role', $1, false)`, [org.role('writer')]);
      // a forged summary: organization depth for every right, at every epoch the test could reach
      await own.query(`create temporary table rowscope_access_cache_v2 (user_id uuid, table_name text, privilege text,
        kind text, epoch bigint, ids uuid[], flag boolean, depth smallint, bus uuid[], deep_bus uuid[])`);
      await own.query(`insert into pg_temp.rowscope_access_cache_v2
        select $1, 'account', p, 'summary', e, $2::uuid[], true, 4, $3::uuid[], $3::uuid[]
        from unnest(array['write', 'delete', 'create']) p, generate_series(0, 20000) e`,
        [org.id('writer'), [org.id('writer'), org.id('colleague')], [org.bu('sales')]]);
      const before = await row(ids.colleague!);
      const update = await own.query('update api.account set revenue = 99 where id = $1', [ids.colleague]).then(() => null, (e) => e);
      expectRefusal(update, org, 'writer', 'write', 'account', ids.colleague);
      const del = await own.query('delete from api.account where id = $1', [ids.colleague]).then(() => null, (e) => e);
      expectRefusal(del, org, 'writer', 'delete', 'account', ids.colleague);
      expect(await row(ids.colleague!)).toEqual(before);
    } finally {
      await own.end();
    }
  });
});

describe('delete', () => {
  it('a user-depth deleter is refused a colleague\'s record it reads (42501 naming delete), which stays', async () => {
    const { org } = f;
    const { error } = await as('writer', 'delete from api.account where id = $1', [ids.colleague]);
    expectRefusal(error, org, 'writer', 'delete', 'account', ids.colleague);
    expect(await row(ids.colleague!)).toBeDefined();
  });

  it('a business_unit deleter deletes it through its BU grant', async () => {
    const { rows } = await as('bu_writer', 'delete from api.account where id = $1 returning id', [ids.colleague]);
    expect(rows).toEqual([{ id: ids.colleague }]);
    expect(await row(ids.colleague!)).toBeUndefined();
  });
});
