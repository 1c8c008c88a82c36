// withUser (src/lib/with-user.ts): work as one rowscope user on a pooled
// connection. Commits on success, rolls back on error, the role never outlives
// the transaction, and only an enabled rowscope user's role is taken.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withUser, WithUserError } from '../../../src/lib/with-user.ts';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;
let pool: pg.Pool;

const count = (c: pg.PoolClient) => c.query<{ n: number }>('select count(*)::int as n from api.account').then((r) => r.rows[0]!.n);

async function failure(fn: () => Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await fn();
  } catch (error) {
    return error as { code?: string; message: string };
  }
  return expect.fail('expected a failure');
}

beforeAll(async () => {
  db = await securedDatabase('basic');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('seller', 'root', ['salesperson']);
  await org.createUser('viewer', 'root', []);
  await org.createUser('gone', 'root', ['salesperson']);
  await org.admin('select rowscope.disable_user($1)', [org.id('gone')]);
  await org.record('account', 'Fabrikam', 'seller');
  // one connection: every call borrows the same one, so leaks would show
  pool = new pg.Pool({ connectionString: db.url, max: 1 });
});
afterAll(async () => {
  await pool?.end();
  await org?.close();
  await db?.drop();
});

describe('withUser', () => {
  it('runs as the user given by id or by db_role, and the role ends with the transaction', async () => {
    expect(await withUser(pool, org.id('seller'), count)).toBe(1);
    expect(await withUser(pool, org.role('seller'), count)).toBe(1);
    expect(await withUser(pool, org.id('viewer'), count)).toBe(0);
    expect(await withUser(pool, org.id('seller'), (c) => c.query('select current_user as u').then((r) => r.rows[0].u))).toBe(org.role('seller'));
    const after = await pool.query<{ u: string }>("select current_user as u");
    expect(after.rows[0]!.u).not.toBe(org.role('seller'));
  });

  it('commits what fn did, and rolls it back (rethrowing) when fn throws', async () => {
    await withUser(pool, org.id('seller'), (c) => c.query("insert into api.account (name) values ('kept')"));
    const boom = await failure(() => withUser(pool, org.id('seller'), async (c) => {
      await c.query("insert into api.account (name) values ('dropped')");
      throw new Error('boom');
    }));
    expect(boom.message).toBe('boom');
    const names = (await pool.query<{ name: string }>('select name from app.account order by name')).rows.map((r) => r.name);
    expect(names).toEqual(['Fabrikam', 'kept']);
    // a refusal inside fn reaches the caller with its SQLSTATE
    const refused = await failure(() => withUser(pool, org.id('viewer'), (c) => c.query("insert into api.account (name) values ('x')")));
    expect(refused.code).toBe('42501');
  });

  it('takes only an enabled rowscope user\'s role', async () => {
    for (const role of ['postgres', 'rowscope_admin', 'rowscope_definer', 'no_such_role_at_all']) {
      const e = await failure(() => withUser(pool, role, count));
      expect(e).toBeInstanceOf(WithUserError);
      expect(e).toMatchObject({ code: '22023', message: `withUser: userIdOrDbRole: ${role} is not a rowscope user's database role` });
    }
    const unknown = await failure(() => withUser(pool, '00000000-0000-0000-0000-000000000000', count));
    expect(unknown).toMatchObject({ code: '22023', message: 'withUser: userIdOrDbRole: no rowscope user has id 00000000-0000-0000-0000-000000000000' });
    const disabled = await failure(() => withUser(pool, org.id('gone'), count));
    expect(disabled).toMatchObject({ code: '42501', message: `withUser: user ${org.role('gone')} is disabled` });
    // the pool's one connection is still usable and is nobody else
    expect((await pool.query<{ u: string }>('select current_user as u')).rows[0]!.u).toBe(new URL(db.url).username);
  });
});
