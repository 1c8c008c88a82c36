// The `transaction` role scope's wire protocol (src/server/role-query.ts,
// src/server/transaction-client.ts): a statement sent with
// set_config('role', …, true) before one Sync, and PostGraphile's transactions
// opened with `begin; set local role …`. On a real PostgreSQL, with a NOINHERIT
// login that may switch to one role and not to another, as
// rowscope_authenticator (sql/071_admin_users.sql): the statement runs as the
// role, nothing of the role outlives it, a role that cannot be taken stops the
// statement before it runs, and pg's record of prepared statements stays right
// whatever failed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { makeWithPgClientViaPgClientAlreadyInTransaction } from 'postgraphile/adaptors/pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminUrlFor, createDatabase, dropDatabase, withClient } from '../../src/db/client.ts';
import { queryAs, roleSetup } from '../../src/server/role-query.ts';
import { transactionClient } from '../../src/server/transaction-client.ts';

const adminUrl = inject('adminUrl');
const tag = randomBytes(4).toString('hex');
const dbName = `role_query_${tag}`;
const login = `rq_login_${tag}`;
const allowed = `rq_user_${tag}`;
const stranger = `rq_stranger_${tag}`;
const password = randomBytes(16).toString('hex');
let url: string;
let client: pg.Client;

beforeAll(async () => {
  await createDatabase(adminUrl, dbName);
  url = adminUrlFor(adminUrl, dbName);
  await withClient(url, async (c) => {
    await c.query(`create role ${allowed} nologin; create role ${stranger} nologin`);
    await c.query(`create role ${login} login noinherit password '${password}' in role ${allowed}`);
    await c.query('create sequence witness; create table note (id serial primary key, body text not null)');
    await c.query("select nextval('witness')"); // from here on last_value moves with every nextval
    await c.query(`grant usage on sequence witness to ${login}, ${stranger}`);
    await c.query(`grant usage, select on sequence note_id_seq to ${allowed}; grant select, insert on note to ${allowed}`);
    await c.query(`grant usage, select on sequence witness to ${allowed}`);
  });
  const loginUrl = new URL(url);
  loginUrl.username = login;
  loginUrl.password = password;
  client = new pg.Client({ connectionString: loginUrl.toString() });
  await client.connect();
});

afterAll(async () => {
  await client?.end();
  await dropDatabase(adminUrl, dbName);
  await withClient(adminUrl, (c) => c.query(`drop role if exists ${login}; drop role if exists ${allowed}; drop role if exists ${stranger}`));
});

const as = (role: string, cache: string | null = null) => roleSetup(role, cache);
const witness = async () => Number((await withClient(url, (c) => c.query<{ v: string }>('select last_value::text as v from witness'))).rows[0]!.v);
const whoAmI = async () => (await client.query<{ u: string; ecs: string }>("select current_user as u, current_setting('effective_cache_size') as ecs")).rows[0];

describe('a statement with its role, one Sync', () => {
  it('runs as the role with the planner setting, and both end with it', async () => {
    const before = await whoAmI();
    expect(before!.u).toBe(login);
    const res = await queryAs(client, as(allowed, '7GB'), { text: "select current_user as u, current_setting('effective_cache_size') as ecs" });
    expect(res.rows).toEqual([{ u: allowed, ecs: '7GB' }]);
    // only the statement's own columns: the setup's row is not part of the answer
    expect(res.fields.map((f) => f.name)).toEqual(['u', 'ecs']);
    expect(client.getTransactionStatus()).toBe('I');
    expect(await whoAmI()).toEqual(before);
  });

  it('a role the login may not take: 42501, and the statement never ran', async () => {
    const seen = await witness();
    const refused = queryAs(client, as(stranger), { text: "select nextval('witness')" });
    await expect(refused).rejects.toMatchObject({ code: '42501' });
    // nextval is not transactional: had the statement run, the sequence would have moved
    expect(await witness()).toBe(seen);
    expect(client.getTransactionStatus()).toBe('I');
    expect((await whoAmI())!.u).toBe(login);
    expect((await queryAs(client, as(allowed), { text: "select nextval('witness')::int as n" })).rows[0].n).toBeGreaterThan(seen);
  });

  it('a named statement first sent behind a refused role is sent again, not taken for prepared', async () => {
    const named = { name: `rq_named_${tag}`, text: 'select current_user as u, $1::int as n', values: [1] };
    await expect(queryAs(client, as(stranger), named)).rejects.toMatchObject({ code: '42501' });
    // pg would otherwise Bind to a statement PostgreSQL never parsed (26000)
    expect((await queryAs(client, as(allowed), { ...named, values: [2] })).rows).toEqual([{ u: allowed, n: 2 }]);
    // and once prepared, a refused role leaves it prepared
    await expect(queryAs(client, as(stranger), named)).rejects.toMatchObject({ code: '42501' });
    expect((await queryAs(client, as(allowed), { ...named, values: [3] })).rows).toEqual([{ u: allowed, n: 3 }]);
    // The setup of a prepared statement is prepared too (once per connection;
    // closed and prepared again after a refusal, which left it unrecorded)
    const prepared = await client.query<{ name: string }>("select name from pg_prepared_statements where name like 'r%' order by name");
    expect(prepared.rows.map((r) => r.name)).toEqual(['rowscope_role', named.name]);
  });

  it('a failing statement surfaces its own error and leaves the connection idle as the login', async () => {
    await expect(queryAs(client, as(allowed), { text: 'select 1 / $1::int as x', values: [0] })).rejects.toMatchObject({ code: '22012' });
    await expect(queryAs(client, as(allowed), { name: `rq_bad_${tag}`, text: 'select nope from nowhere' })).rejects.toMatchObject({ code: '42P01' });
    expect(client.getTransactionStatus()).toBe('I');
    expect((await whoAmI())!.u).toBe(login);
  });

  it('array rows, and statements of several roles queued on one connection each get their own', async () => {
    const res = await queryAs(client, as(allowed), { text: 'select 1 as a, 2 as b', rowMode: 'array' } as pg.QueryConfig);
    expect(res.rows).toEqual([[1, 2]]);
    const roles = Array.from({ length: 30 }, (_, i) => (i % 3 === 1 ? stranger : allowed));
    const answers = await Promise.allSettled(roles.map((r) => queryAs(client, as(r), { name: `rq_who_${tag}`, text: 'select current_user as u' })));
    answers.forEach((a, i) => {
      if (roles[i] === allowed) expect(a).toEqual({ status: 'fulfilled', value: expect.objectContaining({ rows: [{ u: allowed }] }) });
      else expect(a).toMatchObject({ status: 'rejected', reason: { code: '42501' } });
    });
    expect((await whoAmI())!.u).toBe(login);
  });

  it('no role name that would mean the login itself', () => {
    expect(() => roleSetup('NONE', null)).toThrow(/no user role/);
    expect(() => roleSetup('', null)).toThrow(/no user role/);
  });
});

describe('PostGraphile\'s adaptor on the transaction client', () => {
  const withRole = (role: string) => makeWithPgClientViaPgClientAlreadyInTransaction(
    transactionClient(client as pg.PoolClient, as(role), `begin; set local role ${role}`), false);
  const notes = async () => (await withClient(url, (c) => c.query<{ body: string }>('select body from note order by id'))).rows.map((r) => r.body);

  it('a transaction acts as the role and commits; a refused role rolls back and leaves the connection idle', async () => {
    const written = await withRole(allowed)(null, (c) => c.withTransaction(async (tx) => {
      await tx.query({ text: 'insert into note (body) values ($1)', values: ['kept'] });
      return (await tx.query<{ u: string }>({ text: 'select current_user as u' })).rows[0]!.u;
    }));
    expect(written).toBe(allowed);
    expect(await notes()).toEqual(['kept']);
    await expect(withRole(stranger)(null, (c) => c.withTransaction((tx) => tx.query({ text: "insert into note (body) values ('never')" }))))
      .rejects.toMatchObject({ code: '42501' });
    expect(client.getTransactionStatus()).toBe('I');
    expect(await notes()).toEqual(['kept']);
    expect((await whoAmI())!.u).toBe(login);
  });

  it('a statement that fails inside the transaction rolls it all back, and the next read acts as its role again', async () => {
    await expect(withRole(allowed)(null, (c) => c.withTransaction(async (tx) => {
      await tx.query({ text: "insert into note (body) values ('rolled back')" });
      await tx.query({ text: 'insert into note (body) values (null)' });
    }))).rejects.toMatchObject({ code: '23502' });
    expect(await notes()).toEqual(['kept']);
    expect(client.getTransactionStatus()).toBe('I');
    const read = await withRole(allowed)(null, (c) => c.query<{ u: string }>({ text: 'select current_user as u' }));
    expect(read.rows).toEqual([{ u: allowed }]);
    expect((await whoAmI())!.u).toBe(login);
  });

  it('pgSettings go into the role\'s transaction', async () => {
    const read = await withRole(allowed)({ 'rowscope.test_setting': 'x' }, (c) =>
      c.query<{ u: string; s: string }>({ text: "select current_user as u, current_setting('rowscope.test_setting') as s" }));
    expect(read.rows).toEqual([{ u: allowed, s: 'x' }]);
    expect(['', null]).toContain((await client.query("select current_setting('rowscope.test_setting', true) as s")).rows[0].s);
  });
});
