// docs/architecture.md "Roles and the policy shape" (the class guard) and
// docs/security-model.md "Changes take effect at the next statement": a change
// to security data takes effect from the next statement. The user's own LOGIN connection keeps a PREPARED statement (a cached plan, as
// PostGraphile and most drivers do) executed more than 5 times; an admin on
// another connection changes the user's access; the very next execution of the
// same prepared statement must show it.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { close, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let login: pg.Client | undefined;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('owner', 'sales', ['owner_rw']);
  for (const name of ['a1', 'a2', 'a3']) await org.record('account', name, 'owner');
});
afterEach(async () => {
  await login?.end().catch(() => {});
  login = undefined;
});
afterAll(() => close(f));

/** A connection that logs in as the persona's own role (password auth on 127.0.0.1; trust on the PG15 cluster). */
async function loginAs(persona: string): Promise<pg.Client> {
  const role = f.org.role(persona);
  await f.org.admin(`alter role ${role} password 'x'`); // tag_persona: a plain identifier
  const url = new URL(f.db.url);
  const client = new pg.Client({ host: url.hostname, port: Number(url.port), database: url.pathname.slice(1), user: role, password: 'x' });
  client.on('error', () => {});
  await client.connect();
  const [who] = (await client.query('select current_user as u, session_user as s')).rows;
  expect(who).toEqual({ u: role, s: role });
  return client;
}

const COUNT = { name: 'count_accounts', text: 'select count(*)::int as n from api.account' };
const COUNT_DIRECT = { name: 'count_accounts_direct', text: 'select count(*)::int as n from app.account' };

const total = async () => (await f.org.admin('select count(*)::int as n from app.account'))[0].n as number;
const times = (n: number, value: number) => Array.from({ length: n }, () => value);

async function run(c: pg.Client, q: { name: string; text: string }, times: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) out.push((await c.query(q)).rows[0].n);
  return out;
}

describe('a prepared statement on the user\'s own login', () => {
  it('shows a removed role on the very next execution (and an assigned one)', async () => {
    const { org } = f;
    await org.createUser('reader1', 'service', ['reader_org']);
    login = await loginAs('reader1');
    const n = await total();
    expect(n).toBeGreaterThanOrEqual(3);
    expect(await run(login, COUNT, 7)).toEqual(times(7, n));
    expect(await run(login, COUNT_DIRECT, 7)).toEqual(times(7, n));
    await org.admin(`select rowscope.remove_role($1, 'reader_org')`, [org.id('reader1')]);
    expect(await run(login, COUNT, 1)).toEqual([0]);
    expect(await run(login, COUNT_DIRECT, 1)).toEqual([0]);
    expect(await run(login, COUNT, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    await org.admin(`select rowscope.assign_role($1, 'reader_org')`, [org.id('reader1')]);
    expect(await run(login, COUNT, 1)).toEqual([n]);
  });

  it('shows a narrower role on the very next execution (organization -> user depth)', async () => {
    const { org } = f;
    await org.createUser('reader2', 'service', ['reader_org', 'reader_user']);
    await org.record('account', 'own2', 'reader2');
    login = await loginAs('reader2');
    expect(await run(login, COUNT, 7)).toEqual(times(7, await total()));
    await org.admin(`select rowscope.remove_role($1, 'reader_org')`, [org.id('reader2')]);
    expect(await run(login, COUNT, 2)).toEqual([1, 1]);
  });

  it('shows disable_user on the very next execution, and enable_user', async () => {
    const { org } = f;
    await org.createUser('reader3', 'service', ['reader_org']);
    login = await loginAs('reader3');
    const n = await total();
    expect(await run(login, COUNT, 7)).toEqual(times(7, n));
    await org.admin('select rowscope.disable_user($1)', [org.id('reader3')]);
    expect(await run(login, COUNT, 1)).toEqual([0]);
    expect(await run(login, COUNT_DIRECT, 1)).toEqual([0]);
    await org.admin('select rowscope.enable_user($1)', [org.id('reader3')]);
    expect(await run(login, COUNT, 1)).toEqual([n]);
  });

  it('shows leaving an owner team on the very next execution', async () => {
    const { org } = f;
    await org.createUser('member', 'emea');
    const team = await org.createTeam('readers', 'sales');
    await org.admin(`select rowscope.assign_role($1, 'team_bu_read')`, [team]);
    await org.admin('select rowscope.add_team_member($1, $2)', [team, org.id('member')]);
    login = await loginAs('member');
    const before = await run(login, COUNT, 7);
    expect(new Set(before)).toEqual(new Set([before[0]]));
    expect(before[0]).toBeGreaterThanOrEqual(3);
    await org.admin('select rowscope.remove_team_member($1, $2)', [team, org.id('member')]);
    expect(await run(login, COUNT, 1)).toEqual([0]);
  });

  it('a disabled user cannot open a new login', async () => {
    const { org } = f;
    await org.createUser('reader4', 'service', ['reader_org']);
    login = await loginAs('reader4');
    await login.end();
    login = undefined;
    await org.admin('select rowscope.disable_user($1)', [org.id('reader4')]);
    await expect(loginAs('reader4')).rejects.toThrow(/not permitted to log in/);
  });
});
