// docs/security-model.md "Field security", reading: a secured column the user may not read is
// NULL in the api view, also for filters and sort keys; who may read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, employee, fields, type Fields } from './setup.ts';

let f: Fields;
const salaries = (persona: string) =>
  f.org.as<{ name: string; salary: string | null }>(persona, 'select name, salary from api.employee order by name');

beforeAll(async () => {
  f = await fields();
  await employee(f.org, 'ann', 'hr', 1000);
  await employee(f.org, 'bob', 'hr', 2000);
  await employee(f.org, 'cid', 'clerk', 3000);
});
afterAll(() => close(f));

describe('masking in the api view', () => {
  it('a user without a profile sees every row with the secured columns NULL', async () => {
    const rows = await f.org.as('hr', 'select name, title, salary, bonus, ssn from api.employee order by name');
    expect(rows.map((r) => r.name)).toEqual(['ann', 'bob', 'cid']);
    for (const r of rows) expect([r.salary, r.bonus, r.ssn]).toEqual([null, null, null]);
  });

  it('a profile with read shows that column only', async () => {
    const rows = await f.org.as('viewer', 'select name, salary, bonus, ssn from api.employee order by name');
    expect(rows).toEqual([
      { name: 'ann', salary: '1000', bonus: null, ssn: null },
      { name: 'bob', salary: '2000', bonus: null, ssn: null },
      { name: 'cid', salary: '3000', bonus: null, ssn: null },
    ]);
  });

  it('a profile held through a team reaches its members', async () => {
    expect((await salaries('teamed')).map((r) => r.salary)).toEqual(['1000', '2000', '3000']);
  });

  it('a column no profile names (ssn) is System Administrator only', async () => {
    for (const persona of ['hr', 'viewer', 'manager', 'teamed']) {
      const rows = await f.org.as(persona, 'select ssn from api.employee');
      expect(rows.every((r) => r.ssn === null)).toBe(true);
    }
    const admin = await f.org.as('sysadmin', 'select name, salary, bonus, ssn from api.employee order by name');
    expect(admin[0]).toEqual({ name: 'ann', salary: '1000', bonus: '100', ssn: 'ssn-ann' });
  });

  it('field security never widens row access: only readable rows, masked per column', async () => {
    // clerk reads its own record only, and no secured column of it
    expect(await f.org.as('clerk', 'select name, salary from api.employee')).toEqual([{ name: 'cid', salary: null }]);
  });

  it('filtering on a masked column sees the masked value (reveals nothing)', async () => {
    expect(await f.org.as('hr', 'select name from api.employee where salary > 1500')).toEqual([]);
    expect(await f.org.as('hr', 'select name from api.employee where salary is null order by name')).toHaveLength(3);
    expect(await f.org.as('hr', 'select count(*)::int as n from api.employee where ssn like $1', ['ssn-%'])).toEqual([{ n: 0 }]);
    // the reader's filter does see the value
    expect(await f.org.as('viewer', 'select name from api.employee where salary > 1500 order by name')).toEqual([
      { name: 'bob' }, { name: 'cid' },
    ]);
  });

  it('ordering on a masked column does not leak the order of the stored values', async () => {
    // stored order by salary desc is cid, bob, ann; masked, the tie-break decides
    const masked = await f.org.as('hr', 'select name from api.employee order by salary desc, name');
    expect(masked.map((r) => r.name)).toEqual(['ann', 'bob', 'cid']);
    const reader = await f.org.as('viewer', 'select name from api.employee order by salary desc, name');
    expect(reader.map((r) => r.name)).toEqual(['cid', 'bob', 'ann']);
  });

  it('reading, filtering or sorting the column on the data table directly is refused', async () => {
    for (const q of [
      'select salary from app.employee',
      'select name from app.employee where salary > 0',
      'select name from app.employee order by salary',
      'select e.* from app.employee e',
    ]) {
      for (const persona of ['hr', 'viewer']) {
        const err = await f.org.refused(persona, q);
        expect(err.code).toBe('42501');
      }
    }
    // the non-secured columns stay readable there
    expect(await f.org.as('hr', 'select name from app.employee order by name')).toHaveLength(3);
  });

  it('a leaky predicate never sees rows hidden by RLS (the view is no security barrier, the policies are)', async () => {
    // would divide by zero on ann, which clerk cannot read
    const rows = await f.org.as('clerk', `select name from api.employee where 1 / (case when name = 'ann' then 0 else 1 end) = 1`);
    expect(rows).toEqual([{ name: 'cid' }]);
    const err = await f.org.refused('hr', `select name from api.employee where 1 / (case when name = 'ann' then 0 else 1 end) = 1`);
    expect(err.code).toBe('22012'); // hr can read ann: the same query does reach it
  });

  it('calling the per-column reader directly gives nothing beyond what the view shows', async () => {
    const [{ fn }] = await f.org.admin(`select rowscope._secured_reader_name('employee', 'salary') as fn`);
    const [cid] = await f.org.admin(`select id from app.employee where name = 'cid'`);
    // clerk owns cid but holds no profile; viewer has the profile and reads every row
    expect(await f.org.as('clerk', `select rowscope.${fn}($1) as v`, [cid.id])).toEqual([{ v: null }]);
    expect(await f.org.as('viewer', `select rowscope.${fn}($1) as v`, [cid.id])).toEqual([{ v: '3000' }]);
    // a profile does not reach records the user cannot read
    await f.org.admin('select rowscope.add_profile_member($1, $2)', ['salary_view', f.org.id('clerk')]);
    try {
      const [ann] = await f.org.admin(`select id from app.employee where name = 'ann'`);
      expect(await f.org.as('clerk', `select rowscope.${fn}($1) as v`, [ann.id])).toEqual([{ v: null }]);
      expect(await f.org.as('clerk', `select rowscope.${fn}($1) as v`, [cid.id])).toEqual([{ v: '3000' }]);
    } finally {
      await f.org.admin('select rowscope.remove_profile_member($1, $2)', ['salary_view', f.org.id('clerk')]);
    }
  });
});

describe('membership changes take effect from the next statement', () => {
  it('adding and removing a member, also inside one transaction and for prepared statements', async () => {
    const c = await f.org.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [f.org.role('hr')]);
      const read = async () => (await c.query({ name: 'salaries', text: `select salary from api.employee where name = 'ann'` })).rows[0].salary;
      for (let i = 0; i < 6; i++) expect(await read()).toBeNull();
      // the deployment administrator acts inside the same transaction
      await c.query(`select set_config('role', 'none', true)`);
      await c.query('select rowscope.add_profile_member($1, $2)', ['salary_view', f.org.id('hr')]);
      await c.query(`select set_config('role', $1, true)`, [f.org.role('hr')]);
      for (let i = 0; i < 6; i++) expect(await read()).toBe('1000');
      await c.query(`select set_config('role', 'none', true)`);
      await c.query('select rowscope.remove_profile_member($1, $2)', ['salary_view', f.org.id('hr')]);
      await c.query(`select set_config('role', $1, true)`, [f.org.role('hr')]);
      expect(await read()).toBeNull();
      await c.query('rollback');
    } finally {
      c.release();
    }
  });

  it('a team member leaving the team loses the profile; joining gains it', async () => {
    await f.org.admin('select rowscope.remove_team_member($1, $2)', [f.org.id('payroll'), f.org.id('teamed')]);
    expect((await salaries('teamed')).map((r) => r.salary)).toEqual([null, null, null]);
    await f.org.admin('select rowscope.add_team_member($1, $2)', [f.org.id('payroll'), f.org.id('teamed')]);
    expect((await salaries('teamed')).map((r) => r.salary)).toEqual(['1000', '2000', '3000']);
  });

  it('a disabled member reads nothing; the profile is back once enabled', async () => {
    const mode = async () => (await f.org.as('viewer', `select rowscope.field_read_mode('employee', 'salary') as m`))[0].m;
    expect(await mode()).toBe(2);
    await f.org.admin('select rowscope.disable_user($1)', [f.org.id('viewer')]);
    expect(await mode()).toBe(0);
    await f.org.admin('select rowscope.enable_user($1)', [f.org.id('viewer')]);
    expect(await mode()).toBe(2);
    expect((await salaries('viewer')).map((r) => r.salary)).toEqual(['1000', '2000', '3000']);
  });
});
