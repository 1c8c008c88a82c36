// The session cache of access sets (sql/045): an entry is used only while the
// security epoch it was computed at is the one the reader's snapshot sees. One
// long-lived session acts as a persona statement after statement (autocommit,
// so entries outlive transactions, as on a pooled connection), while an admin
// on other connections changes security data.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let session: pg.Client;
const ids: Record<string, string> = {};

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('owner', 'sales', ['owner_rw']);
  await org.createUser('reader', 'service', ['sharer']);
  ids.mine = await org.record('account', 'mine', 'reader');
  ids.other = await org.record('account', 'other', 'owner');
  session = await connect();
});
afterAll(async () => {
  await session?.end();
  await close(f);
});

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: f.db.url });
  c.on('error', () => {});
  await c.connect();
  return c;
}

/** Names of the accounts the persona sees, in one autocommit statement of the session. */
async function seen(c: pg.Client, persona = 'reader'): Promise<string[]> {
  await c.query(`select set_config('role', $1, false)`, [f.org.role(persona)]);
  try {
    return (await c.query('select name from api.account order by name')).rows.map((r) => r.name);
  } finally {
    await c.query('reset role');
  }
}

const share = (record: string, rights = ['read']) =>
  f.org.admin('select rowscope.grant_access($1, $2, $3, $4)', ['account', record, f.org.id('reader'), rights]);
const unshare = (record: string) =>
  f.org.admin('select rowscope.revoke_access($1, $2, $3)', ['account', record, f.org.id('reader')]);

describe('the access-set cache of a session', () => {
  it('follows a share granted and revoked on another connection at the next statement', async () => {
    expect(await seen(session)).toEqual(['mine']);
    expect(await seen(session)).toEqual(['mine']); // served from the cache
    await share(ids.other!);
    expect(await seen(session)).toEqual(['mine', 'other']);
    await unshare(ids.other!);
    expect(await seen(session)).toEqual(['mine']);
  });

  it('follows a removed role, a disabled user and a team membership', async () => {
    const { org } = f;
    await org.admin(`select rowscope.assign_role($1, 'reader_org')`, [org.id('reader')]);
    expect(await seen(session)).toEqual(['mine', 'other']);
    await org.admin(`select rowscope.remove_role($1, 'reader_org')`, [org.id('reader')]);
    expect(await seen(session)).toEqual(['mine']);

    const team = await org.createTeam('cache_team', 'sales');
    await org.admin(`select rowscope.assign_role($1, 'team_user_rw')`, [team]);
    const teamRecord = await org.admin<{ id: string }>(
      `insert into app.account (name, owner_id) values ('team_owned', $1) returning id`, [team]);
    expect(teamRecord).toHaveLength(1);
    await org.admin('select rowscope.add_team_member($1, $2)', [team, org.id('reader')]);
    expect(await seen(session)).toEqual(['mine', 'team_owned']);
    await org.admin('select rowscope.remove_team_member($1, $2)', [team, org.id('reader')]);
    expect(await seen(session)).toEqual(['mine']);

    await org.admin('select rowscope.disable_user($1)', [org.id('reader')]);
    expect(await seen(session)).toEqual([]);
    await org.admin('select rowscope.enable_user($1)', [org.id('reader')]);
    expect(await seen(session)).toEqual(['mine']);
  });

  it('keeps nothing from a transaction that rolled back', async () => {
    // the session itself shares, reads as the persona (caching at the new epoch),
    // then rolls back; another change then commits the same epoch number
    await session.query('begin');
    await session.query('select rowscope.grant_access($1, $2, $3, $4)', ['account', ids.other, f.org.id('reader'), ['read']]);
    await session.query(`select set_config('role', $1, true)`, [f.org.role('reader')]);
    const inside = (await session.query('select name from api.account order by name')).rows.map((r) => r.name);
    expect(inside).toEqual(['mine', 'other']);
    await session.query('rollback');
    await f.org.createBu('cache_bu', 'root'); // commits an epoch bump of its own
    expect(await seen(session)).toEqual(['mine']);
  });

  it('keeps one epoch of entries, and reads in read-only transactions with or without a cache table', async () => {
    await seen(session);
    // grant summaries too (the row guard's entries), which the reads below never refresh
    await session.query(`select set_config('role', $1, false)`, [f.org.role('reader')]);
    await session.query('select rowscope.check_access($1, $2)', ['account', ids.mine]);
    await session.query('reset role');
    await share(ids.other!); // a new epoch: the next miss drops the older entries
    expect(await seen(session)).toEqual(['mine', 'other']);
    const [{ n: epochs }] = (await session.query('select count(distinct epoch)::int as n from pg_temp.rowscope_access_cache_v2')).rows;
    expect(epochs).toBe(1);
    await unshare(ids.other!);
    for (const c of [session, await connect()]) {
      try {
        await c.query('begin read only');
        await c.query(`select set_config('role', $1, true)`, [f.org.role('reader')]);
        expect((await c.query('select name from api.account order by name')).rows.map((r) => r.name)).toEqual(['mine']);
        await c.query('commit');
      } finally {
        if (c !== session) await c.end();
      }
    }
  });

  it('is not readable by the user and ignores a table of that name the user made first', async () => {
    const own = await connect();
    try {
      await own.query(`select set_config('role', $1, false)`, [f.org.role('reader')]);
      // forge an entry: every owner and BU, at every epoch number the test could reach (no
      // primary key: the session's real cache table has one per entry)
      await own.query(`create temporary table rowscope_access_cache_v2 (user_id uuid, table_name text, privilege text,
        kind text, epoch bigint, ids uuid[], flag boolean, depth smallint, bus uuid[], deep_bus uuid[])`);
      await own.query(`insert into pg_temp.rowscope_access_cache_v2
        select $1, 'account', p, k, e, $2::uuid[], true, 4, $2::uuid[], $2::uuid[]
        from unnest(array['owners', 'bus', 'records', 'org', 'summary']) k, unnest(array['read', 'write']) p,
             generate_series(0, 20000) e`,
        [f.org.id('reader'), [f.org.id('owner'), f.org.id('reader')]]);
      await own.query('reset role');
      expect(await seen(own)).toEqual(['mine']);
    } finally {
      await own.end();
    }
    await seen(session); // the session's own cache table exists now
    await session.query(`select set_config('role', $1, false)`, [f.org.role('reader')]);
    try {
      await expect(session.query('select * from pg_temp.rowscope_access_cache_v2')).rejects.toMatchObject({ code: '42501' });
      await expect(session.query('delete from pg_temp.rowscope_access_cache_v2')).rejects.toMatchObject({ code: '42501' });
    } finally {
      await session.query('reset role');
    }
  });

  it('is bumped by every table of security data', async () => {
    const missing = await f.org.admin<{ relname: string }>(`
      select c.relname from pg_class c
      where c.relnamespace = 'rowscope'::regnamespace and c.relkind in ('r', 'p')
        and c.relname not in ('security_epoch_stripe', 'audit_log', 'audit_chain', 'audit_commit_step', 'pending_assign', 'cascade_pass')
        and not exists (select from pg_trigger t where t.tgrelid = c.oid and t.tgname = 'rowscope_security_epoch')
      order by 1`);
    expect(missing).toEqual([]);
    const [before] = await f.org.admin<{ n: string }>('select n from rowscope.security_epoch');
    await f.org.admin(`update rowscope.setting set value = value where false`);
    const [after] = await f.org.admin<{ n: string }>('select n from rowscope.security_epoch');
    expect(BigInt(after!.n)).toBe(BigInt(before!.n) + 1n);
  });
});
