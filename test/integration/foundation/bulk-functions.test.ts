// The bulk forms of the admin functions (sql/150..153): the same result as the
// single functions, every item validated before anything is written, and for a
// rowscope user the single functions' checks item by item.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;

beforeAll(async () => {
  db = await securedDatabase('basic');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('admin', 'sales', ['user_admin', 'salesperson']);
  await org.createUser('seller', 'sales', ['salesperson']);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const counts = async () => (await org.admin(`
  select (select count(*) from rowscope.system_user)::int as users, (select count(*) from rowscope.role_assignment)::int as roles,
         (select count(*) from rowscope.team_member)::int as members, (select count(*) from rowscope.record_share)::int as shares,
         (select count(*) from rowscope.audit_log)::int as audit, (select count(*) from pg_roles where rolname like $1)::int as logins`,
  [`${org.tag}_%`]))[0];

async function adminError(text: string, values: unknown[]): Promise<{ code: string; message: string }> {
  try {
    await org.admin(text, values);
  } catch (e) {
    return e as { code: string; message: string };
  }
  throw new Error(`allowed: ${text}`);
}

describe('create_users', () => {
  it('creates the logins, the users and their classes in one call, audited per user, ids in item order', async () => {
    const items = [
      { db_role: org.role('b1'), business_unit_id: org.bu('sales') },
      { db_role: org.role('b2'), business_unit_id: org.bu('service'), access_mode: 'read', manager_id: org.id('seller') },
    ];
    const rows = await org.admin<{ db_role: string; id: string }>('select * from rowscope.create_users($1)', [JSON.stringify(items)]);
    expect(rows.map((r) => r.db_role)).toEqual([org.role('b1'), org.role('b2')]);
    const users = await org.admin(`select id, db_role, business_unit_id, manager_id, access_mode from rowscope.system_user
                                   where id = any ($1) order by db_role`, [rows.map((r) => r.id)]);
    expect(users).toEqual([
      { id: rows[0]!.id, db_role: org.role('b1'), business_unit_id: org.bu('sales'), manager_id: null, access_mode: 'read_write' },
      { id: rows[1]!.id, db_role: org.role('b2'), business_unit_id: org.bu('service'), manager_id: org.id('seller'), access_mode: 'read' },
    ]);
    // each joins its business unit's default team, as create_user does
    const defaults = await org.admin(`select m.user_id, t.business_unit_id from rowscope.team_member m join rowscope.team t on t.id = m.team_id
                                      where t.is_default and m.user_id = any ($1) order by t.business_unit_id = $2 desc`, [rows.map((r) => r.id), org.bu('sales')]);
    expect(defaults).toEqual([{ user_id: rows[0]!.id, business_unit_id: org.bu('sales') }, { user_id: rows[1]!.id, business_unit_id: org.bu('service') }]);
    const audit = await org.admin(`select record_id from rowscope.audit_log where action = 'create_user' and record_id = any ($1)`, [rows.map((r) => r.id)]);
    expect(audit).toHaveLength(2);
    // a login of rowscope_user: it sees through the api views (nothing yet: no role)
    org.users.set('b1', rows[0]!.id);
    expect(await org.visible('b1', 'account')).toEqual([]);
    await org.admin(`select rowscope.assign_roles($1)`, [JSON.stringify([{ principal_id: rows[0]!.id, role_name: 'reader_org' }])]);
    await org.record('account', 'bulk-visible', 'seller');
    expect(await org.visible('b1', 'account')).toContain('bulk-visible');
  });

  it('refuses a bad item naming it, and writes nothing (no login, no row, no audit)', async () => {
    const before = await counts();
    const cases: [unknown[], string][] = [
      [[{ db_role: org.role('x1'), business_unit_id: org.bu('sales') }, { db_role: 'pg_x', business_unit_id: org.bu('sales') }],
        "users[1].db_role: 'pg_x' is not a usable role name"],
      [[{ db_role: org.role('x1'), business_unit_id: org.bu('sales') }, { db_role: org.role('x1'), business_unit_id: org.bu('sales') }],
        `users[1].db_role: ${org.role('x1')} appears more than once`],
      [[{ db_role: org.role('x1'), business_unit_id: '00000000-0000-0000-0000-000000000000' }], 'users[0].business_unit_id: no such business unit'],
      [[{ db_role: org.role('x1'), business_unit_id: 'nope' }], 'users[0].business_unit_id: "nope" is not a uuid'],
      [[{ db_role: org.role('x1') }], 'users[0].business_unit_id: is missing'],
      [[{ db_role: org.role('x1'), business_unit_id: org.bu('sales'), mode: 'read' }], 'users[0].mode: is not a known key'],
      [[{ db_role: org.role('seller'), business_unit_id: org.bu('sales') }], `users[0].db_role: ${org.role('seller')} is a rowscope user already`],
      [[{ db_role: org.role('x1'), business_unit_id: org.bu('sales'), access_mode: 'god' }], "users[0].access_mode: 'god' is not one of"],
    ];
    for (const [items, message] of cases) {
      const e = await adminError('select * from rowscope.create_users($1)', [JSON.stringify(items)]);
      expect(e.code).toBe('22023');
      expect(e.message).toContain(message);
    }
    expect(await counts()).toEqual(before);
  });

  it('a rowscope user goes through create_user: its scope checks, all or nothing', async () => {
    const before = await counts();
    // user_admin creates users in its own BU only
    const r = await org.refused('admin', 'select * from rowscope.create_users($1)', [JSON.stringify([
      { db_role: org.role('ok1'), business_unit_id: org.bu('sales') },
      { db_role: org.role('no1'), business_unit_id: org.bu('service') },
    ])]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(`${org.role('admin')} lacks create on system_user user ${org.role('no1')}`);
    expect(await counts()).toEqual(before);
    const rows = await org.as('admin', 'select * from rowscope.create_users($1)', [JSON.stringify([{ db_role: org.role('ok2'), business_unit_id: org.bu('sales') }])]);
    expect(rows.map((x) => x.db_role)).toEqual([org.role('ok2')]);
  });
});

describe('create_users with deferred logins', () => {
  it('creates the logins and classes once, at create_user_logins; only the deployment administrator defers', async () => {
    const c = await org.pool.connect();
    try {
      await c.query('begin');
      const { rows } = await c.query('select * from rowscope.create_users($1, true)', [JSON.stringify([{ db_role: org.role('d1'), business_unit_id: org.bu('sales') }])]);
      expect((await c.query('select count(*)::int as n from pg_roles where rolname = $1', [org.role('d1')])).rows[0].n).toBe(0);
      await c.query(`select rowscope.assign_roles($1)`, [JSON.stringify([{ principal_id: rows[0].id, role_name: 'reader_org' }])]);
      await c.query('select rowscope.create_user_logins($1)', [[rows[0].id]]);
      await c.query('commit');
      org.users.set('d1', rows[0].id);
    } finally {
      c.release();
    }
    await org.record('account', 'deferred-visible', 'seller');
    expect(await org.visible('d1', 'account')).toContain('deferred-visible');
    const r = await org.refused('admin', 'select * from rowscope.create_users($1, true)', [JSON.stringify([{ db_role: org.role('d2'), business_unit_id: org.bu('sales') }])]);
    expect([r.code, r.message]).toEqual(['22023', 'rowscope: defer_logins: only the deployment administrator defers the logins of new users']);
    const r2 = await org.refused('admin', 'select rowscope.create_user_logins($1)', [[org.id('seller')]]);
    expect(r2.code).toBe('42501');
    expect(r2.message).toContain('only the deployment administrator creates the logins');
  });
});

describe('set_managers', () => {
  it('sets managers in one statement and refuses a cycle, changing nothing', async () => {
    const rows = await org.admin<{ id: string }>('select * from rowscope.create_users($1)', [JSON.stringify(
      ['m1', 'm2', 'm3'].map((p) => ({ db_role: org.role(p), business_unit_id: org.bu('sales') })))]);
    const [m1, m2, m3] = rows.map((r) => r.id);
    await org.admin('select rowscope.set_managers($1)', [JSON.stringify([{ user_id: m2, manager_id: m1 }, { user_id: m3, manager_id: m2 }])]);
    const chain = await org.admin('select manager_id from rowscope.system_user where id = any ($1) order by db_role', [[m1, m2, m3]]);
    expect(chain.map((r) => r.manager_id)).toEqual([null, m1, m2]);
    const e = await adminError('select rowscope.set_managers($1)', [JSON.stringify([{ user_id: m1, manager_id: m3 }])]);
    expect(e.code).toBe('22023');
    expect(e.message).toContain(`${org.role('m1')} would report to themselves`);
    expect((await org.admin('select manager_id from rowscope.system_user where id = $1', [m1]))[0].manager_id).toBeNull();
  });
});

describe('assign_roles and add_team_members', () => {
  it('assigns roles and adds members as the single functions do, the last item winning', async () => {
    const team = await org.createTeam('bulkteam', 'sales');
    const rows = await org.admin<{ id: string }>('select * from rowscope.create_users($1)', [JSON.stringify(
      [{ db_role: org.role('r1'), business_unit_id: org.bu('sales') }])]);
    const r1 = rows[0]!.id;
    await org.admin('select rowscope.assign_roles($1)', [JSON.stringify([
      { principal_id: r1, role_name: 'salesperson' },
      { principal_id: team, role_name: 'reader_org', inheritance: 'team_only' },
      { principal_id: team, role_name: 'reader_org', inheritance: 'direct_user_and_team', business_unit_id: org.bu('sales') },
    ])]);
    await org.admin('select rowscope.add_team_members($1)', [JSON.stringify([{ team_id: team, user_id: r1 }, { team_id: team, user_id: r1 }])]);
    const assigned = await org.admin(`select r.name, a.business_unit_id, a.inheritance from rowscope.role_assignment a
      join rowscope.security_role r on r.id = a.role_id where a.principal_id = any ($1) order by r.name`, [[r1, team]]);
    expect(assigned).toEqual([
      { name: 'reader_org', business_unit_id: null, inheritance: 'direct_user_and_team' },
      { name: 'salesperson', business_unit_id: null, inheritance: 'team_only' },
    ]);
    expect(await org.admin('select user_id from rowscope.team_member where team_id = $1', [team])).toEqual([{ user_id: r1 }]);
    // the class follows: the team's organization-wide read reaches r1 at once
    org.users.set('r1', r1);
    await org.record('account', 'team-reach', 'admin');
    expect(await org.visible('r1', 'account')).toContain('team-reach');
    const audit = await org.admin(`select action from rowscope.audit_log where record_id = $1 order by id`, [r1]);
    // (the first add_team_member: the default team of the user's business unit)
    expect(audit.map((a) => a.action)).toEqual(['create_user', 'add_team_member', 'assign_role', 'add_team_member']);
  });

  it('refuses a bad item naming it and writes nothing', async () => {
    const team = await org.createTeam('bulkteam2', 'service');
    const before = await counts();
    const e1 = await adminError('select rowscope.assign_roles($1)', [JSON.stringify([
      { principal_id: org.id('seller'), role_name: 'reader_org' }, { principal_id: org.id('seller'), role_name: 'no_such_role' }])]);
    expect([e1.code, e1.message]).toEqual(['22023', "rowscope: assignments[1].role_name: no such security role 'no_such_role'"]);
    const e2 = await adminError('select rowscope.assign_roles($1)', [JSON.stringify([
      { principal_id: team, role_name: 'reader_org', business_unit_id: org.bu('sales') }])]);
    expect(e2.message).toContain('assignments[0].business_unit_id: a role held by team');
    const e3 = await adminError('select rowscope.add_team_members($1)', [JSON.stringify([
      { team_id: team, user_id: org.id('seller') }, { team_id: team, user_id: team }])]);
    expect(e3.message).toContain(`members[1].user_id: no such user ${team}`);
    const [salesTeam] = await org.admin('select id from rowscope.team where business_unit_id = $1 and is_default', [org.bu('sales')]);
    const e4 = await adminError('select rowscope.add_team_members($1)', [JSON.stringify([{ team_id: salesTeam.id, user_id: org.id('seller') }])]);
    expect([e4.code, e4.message]).toEqual(['22023', `rowscope: members[0].team_id: team ${org.tag} sales is the default team of business unit ${org.tag} sales; its members are the business unit's users (create_user, move_user)`]);
    expect(await counts()).toEqual(before);
  });

  it('an admin with partial privileges is refused by the bulk forms exactly where the single functions refuse, changing nothing', async () => {
    // admin holds user_admin (system_user and team at business_unit depth) in sales only
    const serviceTeam = await org.createTeam('partial-service', 'service');
    const salesTeam = await org.createTeam('partial-sales', 'sales');
    const [{ id: far }] = await org.admin<{ id: string }>('select id from rowscope.create_users($1)', [JSON.stringify(
      [{ db_role: org.role('far1'), business_unit_id: org.bu('service') }])]);
    const cases: [string, unknown[], string, unknown[]][] = [
      ['select rowscope.add_team_members($1)', [JSON.stringify([{ team_id: salesTeam, user_id: org.id('seller') }, { team_id: serviceTeam, user_id: org.id('seller') }])],
        'select rowscope.add_team_member($1, $2)', [serviceTeam, org.id('seller')]],
      ['select rowscope.set_managers($1)', [JSON.stringify([{ user_id: far, manager_id: org.id('seller') }])],
        'select rowscope.set_manager($1, $2)', [far, org.id('seller')]],
      ['select rowscope.assign_roles($1)', [JSON.stringify([{ principal_id: far, role_name: 'salesperson' }])],
        'select rowscope.assign_role($1, $2)', [far, 'salesperson']],
    ];
    for (const [bulk, bulkArgs, single, singleArgs] of cases) {
      const before = await counts();
      const one = await org.refused('admin', single, singleArgs);
      const many = await org.refused('admin', bulk, bulkArgs);
      expect(one.code).toBe('42501');
      expect([many.code, many.message]).toEqual([one.code, one.message]);
      expect(await counts()).toEqual(before);
    }
    expect((await org.admin('select manager_id from rowscope.system_user where id = $1', [far]))[0].manager_id).toBeNull();
  });

  it('a rowscope user may not escalate through the bulk form', async () => {
    const before = await counts();
    const r = await org.refused('admin', 'select rowscope.assign_roles($1)', [JSON.stringify([
      { principal_id: org.id('seller'), role_name: 'sales_manager' }])]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain('may not assign role sales_manager');
    expect(await counts()).toEqual(before);
  });
});

describe('grant_access_bulk', () => {
  it('gives the same shares and cascaded shares as grant_access one by one', async () => {
    const team = await org.createTeam('shareteam', 'service');
    const accounts = [await org.record('account', 'bulk-a1', 'seller'), await org.record('account', 'bulk-a2', 'seller')];
    const single = [await org.record('account', 'one-a1', 'seller'), await org.record('account', 'one-a2', 'seller')];
    for (const [i, a] of [...accounts, ...single].entries()) await org.record('contact', `c${i}`, 'seller', { account_id: a });
    const plan = (ids: string[]) => [
      { record_id: ids[0], principal_id: team, rights: ['read'] },
      { record_id: ids[0], principal_id: team, rights: ['write', 'read'] },
      { record_id: ids[1], principal_id: org.id('admin'), rights: ['read'] },
    ];
    // an existing direct share is merged with, as grant_access does
    await org.admin('select rowscope.grant_access($1, $2, $3, $4)', ['account', accounts[1], org.id('admin'), ['write']]);
    await org.admin('select rowscope.grant_access($1, $2, $3, $4)', ['account', single[1], org.id('admin'), ['write']]);
    await org.admin('select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify(plan(accounts))]);
    for (const s of plan(single)) await org.admin('select rowscope.grant_access($1, $2, $3, $4)', ['account', s.record_id, s.principal_id, s.rights]);
    const shares = async (ids: string[]) => (await org.admin(`
      select s.table_name, s.principal_id, s.rights, s.inherited_from_table, (array_position($1::uuid[], coalesce(s.inherited_from_record, s.record_id))) as source
      from rowscope.record_share s left join app.contact c on c.id = s.record_id
      where coalesce(s.inherited_from_record, s.record_id) = any ($1) order by source, s.table_name, s.principal_id`, [ids]));
    const bulk = await shares(accounts);
    expect(bulk.filter((s) => s.table_name === 'contact')).toHaveLength(2);
    expect(bulk).toEqual(await shares(single));
    expect(bulk.find((s) => s.table_name === 'account' && s.source === 2)!.rights).toEqual(['read', 'write']);
  });

  it('audits each share written, direct and cascaded, with every column the row trigger named (sql/225)', async () => {
    const account = await org.record('account', 'bulk-audited', 'seller');
    await org.record('contact', 'bulk-audited-c', 'seller', { account_id: account });
    await org.admin('select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify([{ record_id: account, principal_id: org.id('admin'), rights: ['read'] }])]);
    // each share's audit row against its columns walked one by one (the generic form)
    const rows = await org.admin(`
      select s.table_name, a.action, a.changes = (select jsonb_object_agg(e.key, jsonb_build_object('old', null::jsonb, 'new', e.value))
                                                 from jsonb_each(to_jsonb(s)) e where e.key <> all (rowscope._audit_security_noise())) as same
      from rowscope.record_share s join rowscope.audit_log a on a.table_name = s.table_name and a.record_id = s.record_id and a.action = 'share'
      where coalesce(s.inherited_from_record, s.record_id) = $1 order by s.table_name`, [account]);
    expect(rows).toEqual([{ table_name: 'account', action: 'share', same: true }, { table_name: 'contact', action: 'share', same: true }]);
    await org.admin('select rowscope.revoke_access($1, $2, $3)', ['account', account, org.id('admin')]);
    const [unshared] = await org.admin(`select changes from rowscope.audit_log where action = 'unshare' and record_id = $1`, [account]);
    expect(unshared.changes).toMatchObject({ rights: { old: ['read'], new: null }, principal_id: { old: org.id('admin'), new: null }, inherited_from_record: { old: null, new: null } });
  });

  it('refuses a bad item naming it and writes nothing', async () => {
    const a = await org.record('account', 'bulk-bad', 'seller');
    const before = await counts();
    const bad: [unknown[], string][] = [
      [[{ record_id: a, principal_id: org.id('admin'), rights: ['read'] }, { record_id: a, principal_id: org.id('admin'), rights: ['fly'] }],
        "shares[1].rights: 'fly' is not a right"],
      [[{ record_id: '00000000-0000-0000-0000-000000000000', principal_id: org.id('admin'), rights: ['read'] }], 'shares[0].record_id: no such record'],
      [[{ record_id: a, principal_id: a, rights: ['read'] }], `shares[0].principal_id: no such user or team ${a}`],
      [[{ record_id: a, principal_id: org.id('admin'), rights: 'read' }], 'shares[0].rights: "read" is not an array of strings'],
      [[{ record_id: a, principal_id: org.id('admin'), rights: ['read', 1] }], 'shares[0].rights: ["read", 1] is not an array of strings'],
      [[{ record_id: a, principal_id: org.id('admin'), rights: ['read'] }, { record_id: a, principal_id: org.id('admin'), rights: [['read']] }],
        'shares[1].rights: [["read"]] is not an array of strings'],
    ];
    for (const [items, message] of bad) {
      const e = await adminError('select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify(items)]);
      expect(e.code).toBe('22023');
      expect(e.message).toContain(message);
    }
    expect((await adminError('select rowscope.grant_access_bulk($1, $2)', ['nope', '[]'])).message).toContain("table_name: 'nope' is not a table");
    expect(await counts()).toEqual(before);
  });

  it('a rowscope user shares only what grant_access lets them, all or nothing', async () => {
    const own = await org.record('account', 'bulk-own', 'seller');
    const before = await counts();
    const r = await org.refused('seller', 'select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify([
      { record_id: own, principal_id: org.id('admin'), rights: ['read'] },
      { record_id: own, principal_id: org.id('admin'), rights: ['append'] },
    ])]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(`lacks append on account ${own}`);
    expect(await counts()).toEqual(before);
    await org.as('seller', 'select rowscope.grant_access_bulk($1, $2)', ['account', JSON.stringify([
      { record_id: own, principal_id: org.id('admin'), rights: ['read'] }])]);
    expect((await counts()).shares).toBe(before.shares + 1);
  });
});
