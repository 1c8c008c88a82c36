// docs/security-model.md "Concepts" (access modes) and rule 1: read_write (default) and
// non_interactive act alike; administrative manages security data per its
// privileges and sees no rows of business tables; read may only read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectBadArgument, expectRefusal, expectTablePrivilegeRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let a: string; // owned by each persona in turn, see beforeAll

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('rw', 'sales', ['owner_rw']);
  await org.createUser('bot', 'sales', ['owner_rw'], 'non_interactive');
  await org.createUser('reader', 'sales', ['owner_rw'], 'read');
  await org.createUser('adm', 'sales', ['owner_rw', 'user_admin_bu'], 'administrative');
  await org.createUser('switch', 'sales', ['owner_rw']);
  await org.createUser('rw_sharer', 'sales', ['sharer']);
  await org.createUser('read_sharer', 'sales', ['sharer'], 'read');
  a = await org.record('account', 'a_rw', 'rw');
  await org.record('account', 'a_bot', 'bot');
  await org.record('account', 'a_reader', 'reader');
  await org.record('account', 'a_adm', 'adm');
  await org.record('account', 'a_switch', 'switch');
  await org.record('account', 's_rw', 'rw_sharer');
  await org.record('account', 's_read', 'read_sharer');
});
afterAll(() => close(f));

const ALL = ['a_adm', 'a_bot', 'a_reader', 'a_rw', 'a_switch', 's_read', 's_rw'];

describe('read_write (the default)', () => {
  it('is the mode create_user gives without one', async () => {
    const [u] = await f.org.admin('select access_mode from rowscope.system_user where id = $1', [f.org.id('rw')]);
    expect(u.access_mode).toBe('read_write');
  });
  it('reads, creates, updates and deletes per its roles', async () => {
    const { org } = f;
    expect(await org.visible('rw', 'account')).toEqual(ALL);
    const [row] = await org.as('rw', `insert into api.account (name) values ('rw_new') returning id`);
    await org.as('rw', `update api.account set revenue = 1 where id = $1`, [row.id]);
    expect(await org.as('rw', `delete from api.account where id = $1 returning id`, [row.id])).toHaveLength(1);
  });
});

describe('non_interactive', () => {
  it('is the same as read_write', async () => {
    const { org } = f;
    expect(await org.visible('bot', 'account')).toEqual(ALL);
    const [row] = await org.as('bot', `insert into api.account (name) values ('bot_new') returning id`);
    await org.as('bot', `update api.account set revenue = 2 where id = $1`, [row.id]);
    expect(await org.as('bot', `delete from api.account where id = $1 returning id`, [row.id])).toHaveLength(1);
  });
});

describe('read', () => {
  it('reads what its roles allow', async () => {
    expect(await f.org.visible('reader', 'account')).toEqual(ALL);
  });
  it('may not insert, even a record it would own', async () => {
    const r = await f.org.refused('reader', `insert into api.account (name) values ('nope')`);
    expectRefusal(r, f.org, 'reader', 'create', 'account');
    expect(r.message).toContain('read');
    expect(await f.org.admin(`select from app.account where name = 'nope'`)).toHaveLength(0);
  });
  it('may not update its own record (42501, not a silent 0 rows)', async () => {
    const [own] = await f.org.admin(`select id from app.account where name = 'a_reader'`);
    const r = await f.org.refused('reader', `update api.account set revenue = 3 where id = $1`, [own.id]);
    expectRefusal(r, f.org, 'reader', 'write', 'account', own.id);
    expect((await f.org.admin('select revenue from app.account where id = $1', [own.id]))[0].revenue).toBeNull();
  });
  it('may not delete its own record', async () => {
    const [own] = await f.org.admin(`select id from app.account where name = 'a_reader'`);
    // read access mode: no delete anywhere, so no DELETE on the table
    const r = await f.org.refused('reader', `delete from api.account where id = $1`, [own.id]);
    expectTablePrivilegeRefusal(r, 'account');
    expect(await f.org.admin('select from app.account where id = $1', [own.id])).toHaveLength(1);
  });
  it('may not assign its own record', async () => {
    const [own] = await f.org.admin(`select id from app.account where name = 'a_reader'`);
    const r = await f.org.refused('reader', `update api.account set owner_id = $2 where id = $1`, [own.id, f.org.id('rw')]);
    expect(r.code).toBe('42501');
    expect((await f.org.admin('select owner_id from app.account where id = $1', [own.id]))[0].owner_id).toBe(f.org.id('reader'));
  });
});

describe('share', () => {
  const shared = async (name: string) =>
    f.org.admin(`select s.rights from rowscope.record_share s join app.account a on a.id = s.record_id where a.name = $1`, [name]);
  it('read_write: the owner with share privilege shares its record', async () => {
    const { org } = f;
    const [own] = await org.admin(`select id from app.account where name = 's_rw'`);
    await org.as('rw_sharer', `select rowscope.grant_access('account', $1, $2, array['read'])`, [own.id, org.id('rw')]);
    expect(await shared('s_rw')).toEqual([{ rights: ['read'] }]);
  });
  it('read: the same share is refused with 42501 and nothing is shared', async () => {
    const { org } = f;
    const [own] = await org.admin(`select id from app.account where name = 's_read'`);
    const r = await org.refused('read_sharer', `select rowscope.grant_access('account', $1, $2, array['read'])`, [own.id, org.id('rw')]);
    expectRefusal(r, org, 'read_sharer', 'share', 'account', own.id);
    expect(await shared('s_read')).toEqual([]);
  });
});

describe('administrative', () => {
  it('sees no rows of business tables, whatever its roles', async () => {
    expect(await f.org.visible('adm', 'account')).toEqual([]);
    expect(await f.org.as('adm', 'select id from app.account')).toEqual([]);
  });
  it('may not create records', async () => {
    const r = await f.org.refused('adm', `insert into api.account (name) values ('adm_new')`);
    expectRefusal(r, f.org, 'adm', 'create', 'account');
    expect(r.message).toContain('administrative');
  });
  it('cannot reach its own record to change (no rows) or delete it (refused), nothing changed', async () => {
    const [own] = await f.org.admin(`select id from app.account where name = 'a_adm'`);
    // account's api view writes through its field writer (secured column): no row reached
    expect(await f.org.as('adm', `update api.account set revenue = 4 where id = $1 returning id`, [own.id])).toEqual([]);
    expectTablePrivilegeRefusal(await f.org.refused('adm', `update app.account set revenue = 4 where id = $1 returning id`, [own.id]), 'account');
    expectTablePrivilegeRefusal(await f.org.refused('adm', `delete from api.account where id = $1 returning id`, [own.id]), 'account');
    expect(await f.org.admin('select revenue from app.account where id = $1', [own.id])).toEqual([{ revenue: null }]);
  });
  it('manages security data per its privileges (creates a user in its own BU)', async () => {
    const { org } = f;
    const [row] = await org.as('adm', `select rowscope.create_user($1, $2) as id`, [org.role('adm_made'), org.bu('sales')]);
    expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    const r = await org.refused('adm', `select rowscope.create_user($1, $2)`, [org.role('adm_other'), org.bu('service')]);
    expectRefusal(r, org, 'adm', 'create', 'system_user');
  });
});

describe('set_access_mode', () => {
  it('takes effect from the next statement, both ways', async () => {
    const { org } = f;
    await org.admin(`select rowscope.set_access_mode($1, 'administrative')`, [org.id('switch')]);
    expect(await org.visible('switch', 'account')).toEqual([]);
    await org.admin(`select rowscope.set_access_mode($1, 'read')`, [org.id('switch')]);
    expect(await org.visible('switch', 'account')).toEqual(ALL);
    expect((await org.refused('switch', `insert into api.account (name) values ('s')`)).code).toBe('42501');
    await org.admin(`select rowscope.set_access_mode($1, 'read_write')`, [org.id('switch')]);
    const [row] = await org.as('switch', `insert into api.account (name) values ('switch_new') returning id`);
    expect(row.id).toBeTruthy();
  });
  it('refuses an unknown mode with 22023 naming access_mode', async () => {
    const { org } = f;
    const e = await org.refused('adm', `select rowscope.set_access_mode($1, 'superpowers')`, [org.id('rw')]);
    expectBadArgument(e, 'access_mode');
    await expect(org.admin(`select rowscope.create_user($1, $2, null, 'root')`, [org.role('bad_mode'), org.bu('sales')]))
      .rejects.toMatchObject({ code: '22023', message: expect.stringContaining('access_mode') });
  });
  it('is guarded: a user without write on system_user is refused', async () => {
    const { org } = f;
    const r = await org.refused('rw', `select rowscope.set_access_mode($1, 'read')`, [org.id('bot')]);
    expectRefusal(r, org, 'rw', 'write', 'system_user');
    const [u] = await org.admin('select access_mode from rowscope.system_user where id = $1', [org.id('bot')]);
    expect(u.access_mode).toBe('non_interactive');
  });
  it('an administrative admin changes modes in its own BU', async () => {
    const { org } = f;
    await org.as('adm', `select rowscope.set_access_mode($1, 'non_interactive')`, [org.id('switch')]);
    const [u] = await org.admin('select access_mode from rowscope.system_user where id = $1', [org.id('switch')]);
    expect(u.access_mode).toBe('non_interactive');
    await org.as('adm', `select rowscope.set_access_mode($1, 'read_write')`, [org.id('switch')]);
  });
});

// keep `a` referenced: the read_write persona's record is the one others read
it('every mode that reads sees the same record ids as the data table', async () => {
  for (const persona of ['rw', 'bot', 'reader', 'adm']) {
    const direct = await f.org.as(persona, 'select id from app.account order by id');
    const view = await f.org.as(persona, 'select id from api.account order by id');
    expect(direct).toEqual(view);
  }
  expect((await f.org.as('rw', 'select id from api.account where id = $1', [a]))).toHaveLength(1);
});
