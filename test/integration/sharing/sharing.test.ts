// docs/security-model.md rule 3 and "Share": grant / modify / revoke, who may share what,
// shares with teams, shares needing user depth, and cascades to child records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let a1: string; // alice's account
let c1: string; // alice's contact of a1

beforeAll(async () => {
  db = await securedDatabase('sharing');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('alice', 'sales', ['sales']);
  await org.createUser('bob', 'sales', ['reader']);
  await org.createUser('carol', 'sales');
  await org.createUser('sharer', 'sales', ['no_write_sharer']);
  await org.createUser('erin', 'sales', ['reader']);
  await org.createTeam('readers', 'sales');
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('readers'), org.id('erin')]);
  a1 = await org.record('account', 'a1', 'alice');
  c1 = await org.record('contact', 'c1', 'alice', { account_id: a1 });
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const share = (by: string, table: string, id: string, to: string, rights: string[]) =>
  org.as(by, 'select rowscope.grant_access($1, $2, $3, $4)', [table, id, org.id(to), rights]);
const classOf = async (persona: string) =>
  (await org.admin(`select c.key as cls from pg_auth_members m join pg_roles u on u.oid = m.member
                    join (select key, value from rowscope.secured_table t, jsonb_each_text(t.class_roles) where t.name = 'account') c
                      on m.roleid = to_regrole(c.value)
                    where u.rolname = $1`, [org.role(persona)])).map((r) => r.cls);

describe('grant, modify, revoke', () => {
  it('a share makes the record visible and moves the user to the shared class; revoke takes it back', async () => {
    expect(await org.visible('bob', 'account')).toEqual([]);
    expect(await classOf('bob')).toEqual(['user']);
    await share('alice', 'account', a1, 'bob', ['read']);
    expect(await org.visible('bob', 'account')).toEqual(['a1']);
    expect(await classOf('bob')).toEqual(['user_shared']);
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('bob')]);
    expect(await org.visible('bob', 'account')).toEqual([]);
    expect(await classOf('bob')).toEqual(['user']);
  });

  it('granting again merges rights; modify replaces them', async () => {
    await share('alice', 'account', a1, 'bob', ['read']);
    await share('alice', 'account', a1, 'bob', ['write']);
    const rights = async () => (await org.admin(
      `select rights from rowscope.record_share where table_name = 'account' and record_id = $1 and principal_id = $2 and inherited_from_record is null`,
      [a1, org.id('bob')]))[0]?.rights;
    expect(await rights()).toEqual(['read', 'write']);
    await org.as('alice', 'select rowscope.modify_access($1, $2, $3, $4)', ['account', a1, org.id('bob'), ['read']]);
    expect(await rights()).toEqual(['read']);
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('bob')]);
    expect(await rights()).toBeUndefined();
  });

  it('a shared right counts only while the user holds the privilege at user depth', async () => {
    await share('alice', 'account', a1, 'carol', ['read']);
    expect(await org.visible('carol', 'account')).toEqual([]);
    await org.admin('select rowscope.assign_role($1, $2)', [org.id('carol'), 'reader']);
    expect(await org.visible('carol', 'account')).toEqual(['a1']);
    // write was not shared: refused. Carol holds write nowhere on account, so her
    // login has no UPDATE on the table (sql/600_ddl_table_roles.sql _bind_table_roles): PostgreSQL
    // refuses before the row guard would name what is missing
    const r = await org.refused('carol', `update api.account set name = 'x' where id = $1`, [a1]);
    expect(r.code).toBe('42501');
    expect(r.message).toMatch(/lacks write on account|permission denied for table account/);
    await org.admin('select rowscope.remove_role($1, $2)', [org.id('carol'), 'reader']);
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('carol')]);
  });

  it('a share with a team reaches its members', async () => {
    await share('alice', 'account', a1, 'readers', ['read']);
    expect(await org.visible('erin', 'account')).toEqual(['a1']);
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('readers')]);
    expect(await org.visible('erin', 'account')).toEqual([]);
  });
});

describe('who may share', () => {
  it('the caller needs share on the record', async () => {
    await share('alice', 'account', a1, 'bob', ['read']);
    const r = await org.refused('bob', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a1, org.id('erin'), ['read']]);
    expect(r.code).toBe('42501');
    expect(r.message).toMatch(/lacks share on account/);
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('bob')]);
  });

  it('the caller may share only rights they hold', async () => {
    const r = await org.refused('sharer', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a1, org.id('bob'), ['read', 'write']]);
    expect(r.code).toBe('42501');
    expect(r.message).toMatch(/lacks write on account .*one can share only rights one holds/);
    await org.as('sharer', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a1, org.id('bob'), ['read']]);
    expect(await org.visible('bob', 'account')).toEqual(['a1']);
    await org.as('sharer', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('bob')]);
  });

  it('a record the caller cannot read is reported like a missing one', async () => {
    const hidden = await org.refused('bob', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a1, org.id('erin'), ['read']]);
    const missing = await org.refused('bob', 'select rowscope.grant_access($1, $2, $3, $4)',
      ['account', '00000000-0000-0000-0000-000000000000', org.id('erin'), ['read']]);
    expect(hidden.code).toBe('22023');
    expect(missing.code).toBe('22023');
    expect(hidden.message.replace(a1, 'X')).toEqual(missing.message.replace('00000000-0000-0000-0000-000000000000', 'X'));
  });

  it('bad arguments are 22023 naming the argument', async () => {
    const r = await org.refused('alice', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a1, org.id('bob'), ['fly']]);
    expect(r.code).toBe('22023');
    expect(r.message).toMatch(/rights: 'fly' is not a right/);
    const t = await org.refused('alice', 'select rowscope.grant_access($1, $2, $3, $4)', ['nope', a1, org.id('bob'), ['read']]);
    expect(t.message).toMatch(/table_name: 'nope' is not a table of the model/);
  });
});

describe('cascades to child records', () => {
  it('a share of the parent reaches its children and goes with the source', async () => {
    expect(await org.visible('bob', 'contact')).toEqual([]);
    await share('alice', 'account', a1, 'bob', ['read']);
    expect(await org.visible('bob', 'contact')).toEqual(['c1']);
    const [row] = await org.admin(`select inherited_from_table, inherited_from_record from rowscope.record_share where table_name = 'contact' and record_id = $1`, [c1]);
    expect(row).toEqual({ inherited_from_table: 'account', inherited_from_record: a1 });
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('bob')]);
    expect(await org.visible('bob', 'contact')).toEqual([]);
  });

  it('a child created under a shared parent inherits its shares; reparenting moves them', async () => {
    await share('alice', 'account', a1, 'bob', ['read']);
    const a2 = await org.record('account', 'a2', 'alice');
    const [{ id: c2 }] = await org.as('alice', `insert into api.contact (name, account_id) values ('c2', $1) returning id`, [a1]);
    expect(await org.visible('bob', 'contact')).toEqual(['c1', 'c2']);
    await org.as('alice', 'update api.contact set account_id = $1 where id = $2', [a2, c2]);
    expect(await org.visible('bob', 'contact')).toEqual(['c1']);
    await share('alice', 'account', a2, 'bob', ['read']);
    expect(await org.visible('bob', 'contact')).toEqual(['c1', 'c2']);
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a1, org.id('bob')]);
    await org.as('alice', 'select rowscope.revoke_access($1, $2, $3)', ['account', a2, org.id('bob')]);
    expect(await org.visible('bob', 'contact')).toEqual([]);
  });
});
