// Temp-schema hijack of the definer functions: every definer pins
// `search_path = pg_catalog, pg_temp`, so pg_catalog wins for relations and
// types, and PostgreSQL never looks in pg_temp for functions or operators. The
// attacker plants look-alikes in pg_temp — a table for every relation of the
// rowscope schema filled with rows that would make it System Administrator or
// the reader, functions named like built-ins the definers call, an always-true
// `=` — and everything must still answer as before.
import { describe, expect, it } from 'vitest';
import { attackEachTest } from './fixture.ts';

const t = attackEachTest();

async function answers(): Promise<unknown> {
  const q = async (text: string, values: unknown[] = []) => (await t.attacker.client.query(text, values)).rows;
  return {
    visible: await q('select name from api.account order by name'),
    direct: await q('select name from app.account order by name'),
    me: await q('select rowscope.whoami() as id'),
    scopes: await q(`select rowscope.scope_org('account', 'read') as org, rowscope.scope_owners('account', 'read') as owners,
      rowscope.scope_bus('account', 'read') as bus, rowscope.scope_records('account', 'read') as records`),
    misc: await q(`select rowscope.has_privilege('export_to_excel') as p, rowscope.field_read_mode('account', 'credit_limit') as m`),
    check: await t.attacker.attempt('select rowscope.check_access($1, $2)', ['account', t.arena.ids.secret_a]),
    share: await t.attacker.attempt(`select rowscope.grant_access('account', $1, rowscope.whoami(), array['read'])`, [t.arena.ids.secret_a]),
    create: await t.attacker.attempt(`insert into app.account (name, owner_id) values ('x', $1)`, [t.arena.org.id('victim')]),
    role: await t.attacker.attempt(`select rowscope.assign_role(rowscope.whoami(), 'system_administrator')`),
  };
}

// the refused create names a fresh record id each time
const strip = (x: unknown) => JSON.parse(JSON.stringify(x).replace(/on account [0-9a-f-]{36}/g, 'on account <new>'));

describe('look-alikes in pg_temp', () => {
  it('tables named like every rowscope relation, full of escalating rows', async () => {
    const expected = strip(await answers());
    expect((expected as { visible: unknown[] }).visible).toEqual([{ name: 'mine' }]);
    const rels = await t.arena.org.admin<{ name: string; cols: string }>(`
      select c.relname as name, string_agg(format('%I %s', a.attname,
        case when t.typnamespace = 'pg_catalog'::regnamespace then format_type(a.atttypid, a.atttypmod) else 'text' end), ', ' order by a.attnum) as cols
      from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      join pg_type t on t.oid = a.atttypid
      where c.relnamespace = 'rowscope'::regnamespace and c.relkind in ('r', 'v', 'm') group by c.relname`);
    expect(rels.map((r) => r.name)).toEqual(expect.arrayContaining(['system_user', 'role_assignment', 'record_share', 'security_role']));
    for (const r of rels) await t.attacker.client.query(`create temp table "${r.name}" (${r.cols})`);
    const me = t.arena.org.role('attacker');
    const reader = t.arena.org.id('reader');
    await t.attacker.client.query(`insert into pg_temp."system_user" (id, db_role, business_unit_id) values ($1, $2, $3)`, [reader, me, t.arena.org.bu('root')]);
    const [sa] = await t.arena.org.admin(`select id from rowscope.security_role where name = 'system_administrator'`);
    await t.attacker.client.query('insert into pg_temp.role_assignment (principal_id, role_id, business_unit_id) values ($1, $2, $3)', [t.arena.org.id('attacker'), sa.id, t.arena.org.bu('root')]);
    await t.attacker.client.query(`insert into pg_temp.record_share (id, table_name, record_id, principal_id, rights) values (1, 'account', $1, $2, '{read,write,share}')`, [t.arena.ids.secret_a, t.arena.org.id('attacker')]);
    expect(strip(await answers())).toEqual(expected);
  });
  it('functions and aggregates named like built-ins, and an always-true = on uuid and text', async () => {
    const expected = strip(await answers());
    const reader = t.arena.org.role('reader');
    for (const text of [
      `create function pg_temp.current_setting(text) returns text language sql as $$ select '${reader}'::text $$`,
      `create function pg_temp.current_setting(text, boolean) returns text language sql as $$ select '${reader}'::text $$`,
      `create function pg_temp.session_user() returns name language sql as $$ select '${reader}'::name $$`,
      `create function pg_temp.nullif(text, text) returns text language sql as $$ select '${reader}'::text $$`,
      `create function pg_temp.cardinality(uuid[]) returns int language sql as $$ select 0 $$`,
      `create function pg_temp.unnest(uuid[]) returns setof uuid language sql as $$ select id from app.account $$`,
      `create function pg_temp.array_position(text[], text) returns int language sql as $$ select 5 $$`,
      `create function pg_temp.format(text, text) returns text language sql as $$ select 'hijacked' $$`,
      `create function pg_temp.array_cat_true(uuid, uuid) returns boolean language sql as $$ select true $$`,
      `create function pg_temp.eq_true(text, text) returns boolean language sql as $$ select true $$`,
      `create function pg_temp.exists_agg(uuid) returns boolean language sql as $$ select true $$`,
      `create aggregate pg_temp.array_agg(uuid) (sfunc = array_append, stype = uuid[], initcond = '{00000000-0000-0000-0000-000000000000}')`,
      `create aggregate pg_temp.bool_or(boolean) (sfunc = pg_catalog.booleq, stype = boolean, initcond = 'true')`,
      'create operator pg_temp.= (procedure = pg_temp.array_cat_true, leftarg = uuid, rightarg = uuid)',
      'create operator pg_temp.= (procedure = pg_temp.eq_true, leftarg = text, rightarg = text)',
      `create type pg_temp.uuid as (x int)`,
    ]) {
      await t.attacker.client.query(text);
    }
    expect(strip(await answers())).toEqual(expected);
    // the planted objects do work when named explicitly: the test is real
    expect((await t.attacker.client.query(`select pg_temp.current_setting('role') as r`)).rows[0].r).toBe(reader);
    expect((await t.attacker.client.query(`select 'a'::text operator(pg_temp.=) 'b'::text as eq`)).rows[0].eq).toBe(true);
  });
  it('a user can put pg_temp first in its own search_path: only its own queries change', async () => {
    const expected = strip(await answers());
    await t.attacker.client.query(`create function pg_temp.scope_org(text, text) returns boolean language sql as $$ select true $$`);
    await t.attacker.client.query(`create temp table account (id uuid, name text)`);
    await t.attacker.client.query(`insert into account values (gen_random_uuid(), 'fake')`);
    await t.attacker.client.query('set search_path = pg_temp, rowscope, app, api, public');
    expect((await t.attacker.client.query('select name from account')).rows).toEqual([{ name: 'fake' }]);
    await t.attacker.client.query('set search_path = rowscope, app, api, public, pg_temp');
    expect((await t.attacker.client.query('select name from account')).rows).toEqual([{ name: 'mine' }]);
    expect(strip(await answers())).toEqual(expected);
  });
});
