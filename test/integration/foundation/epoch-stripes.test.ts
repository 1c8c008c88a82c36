// The striped security epoch (sql/045_access_cache.sql): writers of security
// data do not wait for each other, and a session's cached access sets still
// follow every committed change, also when transactions commit in another
// order than they bumped, and whatever the caller puts in the setting that
// remembers its stripe.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let reader: pg.Client;
const ids: Record<string, string> = {};
const open: pg.Client[] = [];

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('owner', 'sales', ['owner_rw']);
  await org.createUser('reader', 'service', ['reader_user']);
  for (const name of ['a', 'b', 'c', 'd']) {
    ids[name] = await org.record('account', name, 'owner');
    await share(name);
  }
  reader = await connect();
});
afterAll(async () => {
  for (const c of open) await c.end().catch(() => {});
  await close(f);
});

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: f.db.url });
  c.on('error', () => {});
  await c.connect();
  open.push(c);
  return c;
}

async function share(name: string, c?: pg.ClientBase): Promise<void> {
  const text = `select rowscope.grant_access('account', $1, $2, '{read}')`;
  const values = [ids[name], f.org.id('reader')];
  if (c) await c.query(text, values);
  else await f.org.admin(text, values);
}
const unshare = (c: pg.ClientBase, name: string) =>
  c.query(`select rowscope.revoke_access('account', $1, $2)`, [ids[name], f.org.id('reader')]);

/** What the reader sees, in one autocommit statement of its long-lived session (cached sets). */
async function seen(): Promise<string[]> {
  await reader.query(`select set_config('role', $1, false)`, [f.org.role('reader')]);
  try {
    return (await reader.query('select name from api.account order by name')).rows.map((r) => r.name);
  } finally {
    await reader.query('reset role');
  }
}

const epoch = async (c: pg.ClientBase) => BigInt((await c.query('select n from rowscope.security_epoch')).rows[0].n);

describe('the striped security epoch', () => {
  it('lets two transactions change security data at once, neither waiting for the other', async () => {
    const one = await connect();
    const two = await connect();
    await one.query('begin');
    await unshare(one, 'a');
    await two.query('begin');
    await two.query(`set local lock_timeout = '500ms'`);
    await unshare(two, 'b'); // at 20fab3e: 55P03, waiting for the epoch row `one` holds
    const [s1, s2] = await Promise.all([one, two].map(async (c) => (await c.query(`select current_setting('rowscope.epoch_stripe') as s`)).rows[0].s));
    expect(s1).not.toBe(s2);
    await two.query('commit');
    await one.query('commit');
    await share('a');
    await share('b');
  });

  it('lets two transactions insert children under a reparent relationship at once (each adds a parent-owner read)', async () => {
    const one = await connect();
    const two = await connect();
    const insert = (c: pg.Client, account: string) =>
      c.query(`insert into app.contact (name, account_id, owner_id) values ('child', $1, $2) returning id`, [account, f.org.id('owner')]);
    await one.query('begin');
    const [first] = (await insert(one, ids.a!)).rows;
    await two.query('begin');
    await two.query(`set local lock_timeout = '500ms'`);
    const [second] = (await insert(two, ids.b!)).rows; // at 20fab3e: 55P03, waiting for the epoch row `one` holds
    await two.query('commit');
    await one.query('commit');
    const reads = await f.org.admin(`select count(*)::int as n from rowscope.parent_owner_read where record_id = any ($1::uuid[])`, [[first.id, second.id]]);
    expect(reads).toEqual([{ n: 2 }]);
    await f.org.admin('delete from app.contact where id = any ($1::uuid[])', [[first.id, second.id]]);
  });

  it('invalidates cached sets when an earlier-begun change commits after a later one', async () => {
    expect(await seen()).toEqual(['a', 'b', 'c', 'd']);
    const early = await connect();
    const late = await connect();
    await early.query('begin');
    await unshare(early, 'c'); // bumps first, commits last
    await late.query('begin');
    await unshare(late, 'd');
    await late.query('commit');
    expect(await seen()).toEqual(['a', 'b', 'c']);
    expect(await seen()).toEqual(['a', 'b', 'c']); // cached at this sum
    await early.query('commit');
    expect(await seen()).toEqual(['a', 'b']);
    await share('c');
    await share('d');
    expect(await seen()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('counts every change once, whatever the caller sets rowscope.epoch_stripe to', async () => {
    const c = await connect();
    for (const forged of ['99', '-1', 'x', '3; drop table x', '']) {
      expect(await seen()).toEqual(['a', 'b', 'c', 'd']);
      await c.query(`select set_config('rowscope.epoch_stripe', $1, false)`, [forged]);
      const before = await epoch(c);
      await unshare(c, 'a');
      expect(await epoch(c), forged).toBe(before + 1n);
      expect(await seen(), forged).toEqual(['b', 'c', 'd']);
      await share('a', c);
    }
  });

  it('still counts a change when a user session holds every stripe\'s advisory lock', async () => {
    const squatter = await connect();
    await squatter.query(`select set_config('role', $1, false)`, [f.org.role('reader')]);
    await squatter.query(`select pg_advisory_lock(hashtext('rowscope.security_epoch_stripe'), s) from generate_series(0, 15) s`);
    try {
      const c = await connect();
      await c.query(`set lock_timeout = '2s'`);
      expect(await seen()).toEqual(['a', 'b', 'c', 'd']);
      const before = await epoch(c);
      await unshare(c, 'a');
      expect(await epoch(c)).toBe(before + 1n);
      expect(await seen()).toEqual(['b', 'c', 'd']);
      await share('a', c);
    } finally {
      await squatter.query('select pg_advisory_unlock_all()');
    }
  });

  it('in REPEATABLE READ takes another stripe when its own changed since the snapshot, instead of failing', async () => {
    const rr = await connect();
    const other = await connect();
    await rr.query('begin isolation level repeatable read');
    const { rows: [{ pid }] } = await rr.query('select pg_backend_pid() as pid');
    expect(await epoch(rr)).toBeGreaterThan(0n); // the snapshot is taken
    // another session changes security data on the stripe `rr` would try first, and commits
    await other.query(`select set_config('rowscope.epoch_stripe', $1, false)`, [String(pid % 16)]);
    await unshare(other, 'a');
    await unshare(rr, 'b'); // at 20fab3e: 40001, the epoch row changed since the snapshot
    expect(Number((await rr.query(`select current_setting('rowscope.epoch_stripe') as s`)).rows[0].s)).not.toBe(pid % 16);
    await rr.query('commit');
    expect(await seen()).toEqual(['c', 'd']);
    await share('a');
    await share('b');
  });

  it('in REPEATABLE READ still fails a read of a user whose access changed on any stripe since the snapshot', async () => {
    const rr = await connect();
    const other = await connect();
    await rr.query('begin isolation level repeatable read');
    await rr.query(`select set_config('role', $1, true)`, [f.org.role('reader')]);
    expect((await rr.query('select name from api.account order by name')).rows.map((r) => r.name)).toEqual(['a', 'b', 'c', 'd']);
    await unshare(other, 'd');
    await expect(rr.query('select name from api.account order by name')).rejects.toMatchObject({ code: '40001' });
    await rr.query('rollback');
    expect(await seen()).toEqual(['a', 'b', 'c']);
  });

  it('is not bumped by deleting a record without shares, field shares, access teams or parent-owner reads', async () => {
    // every bump empties every session's access cache and fails REPEATABLE READ
    // readers' next statement (sql/140 _cascade_delete, sql/330)
    const id = await f.org.record('account', 'unshared', 'owner');
    const before = await epoch(reader);
    await f.org.as('owner', 'delete from api.account where id = $1', [id]);
    expect(await epoch(reader)).toBe(before);
    // a shared record's delete removes its share, and that is a security change
    const shared = await f.org.record('account', 'shared', 'owner');
    await f.org.admin(`select rowscope.grant_access('account', $1, $2, '{read}')`, [shared, f.org.id('reader')]);
    const withShare = await epoch(reader);
    await f.org.as('owner', 'delete from api.account where id = $1', [shared]);
    expect(await epoch(reader)).toBeGreaterThan(withShare);
  });
});
