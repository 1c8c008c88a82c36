// Regression (issue 14, F12 part): admin functions check the caller first,
// take bounded arguments, and never name in a refusal a user the caller cannot
// read; the hierarchy functions need write covering every user they touch
// (sql/035, sql/045, sql/07x, sql/400, sql/410).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};

const adminError = (text: string, values: unknown[] = []) =>
  org.admin(text, values).then(
    () => undefined,
    (e) => e as { code: string; message: string },
  );

beforeAll(async () => {
  db = await securedDatabase('escalation');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('judy', 'sales', ['seller']);
  await org.createUser('victim', 'service', ['seller']);
  await org.createUser('bu_admin', 'sales', ['bu_user_admin']);
  await org.createUser('sales_rep', 'sales', ['seller']);
  ids.account = await org.record('account', 'judy_account', 'judy');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('the scope_* functions', () => {
  for (const fn of ['scope_owners', 'scope_org', 'scope_bus', 'scope_records']) {
    it(`${fn}(null, null) is 22023 naming the argument`, async () => {
      const err = await org.refused('judy', `select rowscope.${fn}(null, null)`);
      expect(err.code).toBe('22023');
      expect(err.message).toContain('p_table');
      const err2 = await org.refused('judy', `select rowscope.${fn}('account', null)`);
      expect(err2.code).toBe('22023');
      expect(err2.message).toContain('p_privilege');
    });
  }
});

describe('create_position', () => {
  it('checks the caller before looking at the parent', async () => {
    const err = await org.refused('judy', 'select rowscope.create_position($1, $2)', ['p1', '00000000-0000-0000-0000-000000000001']);
    expect(err.code).toBe('42501');
    expect(err.message).not.toContain('no such position');
  });

  it('refuses a huge name from an unprivileged caller without echoing it', async () => {
    const err = await org.refused('judy', 'select rowscope.create_position($1)', ['x'.repeat(100_000)]);
    expect(err.code).toBe('42501');
    expect(err.message.length).toBeLessThan(2_000);
  });

  it('limits names to 160 characters (positions, business units, teams)', async () => {
    const long = 'n'.repeat(161);
    for (const [text, values] of [
      ['select rowscope.create_position($1)', [long]],
      ['select rowscope.create_business_unit($1, $2)', [long, org.bu('root')]],
      ['select rowscope.create_team($1, $2)', [long, org.bu('root')]],
    ] as const) {
      const err = await adminError(text, [...values]);
      expect(err?.code, text).toBe('22023');
      expect(err?.message, text).toContain('name');
      expect(err!.message.length).toBeLessThan(400);
    }
    await org.admin('select rowscope.create_position($1)', ['n'.repeat(160)]);
  });
});

describe('check_access / explain_access for another user', () => {
  for (const fn of ['check_access', 'explain_access']) {
    it(`${fn} refuses without naming the other user's login`, async () => {
      const err = await org.refused('judy', `select * from rowscope.${fn}('account', $1, $2)`, [ids.account, org.id('victim')]);
      expect(err.code).toBe('42501');
      expect(err.message).not.toContain(org.role('victim'));
      expect(err.message).not.toContain('service');
      expect(err.message).toContain(org.id('victim'));
    });
  }

  it('admin refusals about a user the caller may not read give the id only (assign_role, disable_user)', async () => {
    for (const text of [`select rowscope.assign_role($1, 'seller')`, 'select rowscope.disable_user($1)']) {
      const err = await org.refused('bu_admin', text, [org.id('victim')]);
      expect(err.code).toBe('42501');
      expect(err.message).not.toContain(org.role('victim'));
      expect(err.message).toContain(org.id('victim'));
    }
  });

  it('an unknown user id is refused like an unreadable user', async () => {
    const err = await org.refused('judy', `select rowscope.check_access('account', $1, $2)`, [ids.account, '00000000-0000-0000-0000-0000000000ab']);
    expect(err.code).toBe('42501');
  });

  it('names the login when the caller may read that user', async () => {
    const err = await org.refused('bu_admin', `select * from rowscope.check_access('account', $1, $2)`, [ids.account, org.id('sales_rep')]);
    // bu_admin may read sales_rep; the record is what bu_admin cannot read
    expect(err.code).toBe('22023');
  });
});

describe('hierarchy and moves need write covering every user and BU touched', () => {
  it('set_manager needs write on system_user covering the new manager', async () => {
    const err = await org.refused('bu_admin', 'select rowscope.set_manager($1, $2)', [org.id('sales_rep'), org.id('victim')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('system_user');
    const [u] = await org.admin('select manager_id from rowscope.system_user where id = $1', [org.id('sales_rep')]);
    expect(u.manager_id).toBeNull();
    await org.as('bu_admin', 'select rowscope.set_manager($1, $2)', [org.id('sales_rep'), org.id('judy')]);
    const [v] = await org.admin('select manager_id from rowscope.system_user where id = $1', [org.id('sales_rep')]);
    expect(v.manager_id).toBe(org.id('judy'));
  });

  it('create_user with a manager needs write covering the manager too', async () => {
    const err = await org.refused('bu_admin', 'select rowscope.create_user($1, $2, $3)', [org.role('newbie'), org.bu('sales'), org.id('victim')]);
    expect(err.code).toBe('42501');
    const [u] = await org.admin('select count(*)::int as n from rowscope.system_user where db_role = $1', [org.role('newbie')]);
    expect(u.n).toBe(0);
  });

  it('set_manager needs write covering the user', async () => {
    const err = await org.refused('bu_admin', 'select rowscope.set_manager($1, $2)', [org.id('victim'), org.id('judy')]);
    expect(err.code).toBe('42501');
  });

  it('set_position needs write covering the user', async () => {
    const [{ id }] = await org.admin(`select rowscope.create_position('clerk') as id`);
    const err = await org.refused('bu_admin', 'select rowscope.set_position($1, $2)', [org.id('victim'), id]);
    expect(err.code).toBe('42501');
    await org.as('bu_admin', 'select rowscope.set_position($1, $2)', [org.id('sales_rep'), id]);
  });

  it('move_user needs write covering the user and the new BU', async () => {
    const err = await org.refused('bu_admin', 'select rowscope.move_user($1, $2)', [org.id('sales_rep'), org.bu('service')]);
    expect(err.code).toBe('42501');
    const err2 = await org.refused('bu_admin', 'select rowscope.move_user($1, $2)', [org.id('victim'), org.bu('sales')]);
    expect(err2.code).toBe('42501');
    const [u] = await org.admin('select business_unit_id from rowscope.system_user where id = $1', [org.id('sales_rep')]);
    expect(u.business_unit_id).toBe(org.bu('sales'));
  });
});
