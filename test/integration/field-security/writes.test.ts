// SPEC §2 "Field security", writing: create / update permissions on secured
// columns, through the api view (INSTEAD OF triggers) and on the data table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, employee, fields, type Fields } from './setup.ts';

let f: Fields;
const stored = async (name: string) =>
  (await f.org.admin('select salary, bonus, ssn, title from app.employee where name = $1', [name]))[0];

beforeAll(async () => {
  f = await fields();
  await employee(f.org, 'ann', 'hr', 1000);
  await employee(f.org, 'own', 'clerk', 500);
});
afterAll(() => close(f));

describe('insert', () => {
  it('setting a secured column without create is refused, naming the column, and inserts nothing', async () => {
    const err = await f.org.refused('hr', `insert into api.employee (name, salary) values ('x1', 10)`);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('create of column salary');
    expect(err.message).toContain(f.org.role('hr'));
    expect(err.message).toContain('employee');
    expect(await f.org.admin(`select 1 from app.employee where name = 'x1'`)).toEqual([]);
    // read-only profile: still no create
    expect((await f.org.refused('viewer', `insert into api.employee (name, salary) values ('x1', 10)`)).code).toBe('42501');
  });

  it('an insert that leaves secured columns out works for anyone with create, and RETURNING masks', async () => {
    const rows = await f.org.as('hr', `insert into api.employee (name, title) values ('x2', 'clerk') returning id, name, salary, owner_id, created_on`);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'x2', salary: null, owner_id: f.org.id('hr') });
    expect(rows[0].id).toMatch(/^[0-9a-f-]{36}$/); // the table's default, copied to the view
    expect(rows[0].created_on).not.toBeNull();
  });

  it('with create on the column the value is stored and returned', async () => {
    const [row] = await f.org.as('manager', `insert into api.employee (name, salary) values ('x3', 300) returning salary, bonus`);
    expect(row).toEqual({ salary: '300', bonus: null });
    expect(await stored('x3')).toMatchObject({ salary: '300' });
  });

  it('create without read: the value is stored, the user still reads NULL', async () => {
    await f.org.admin('select rowscope.add_profile_member($1, $2)', ['bonus_create', f.org.id('hr')]);
    try {
      const [row] = await f.org.as('hr', `insert into api.employee (name, bonus) values ('x4', 44) returning bonus`);
      expect(row.bonus).toBeNull();
      expect(await stored('x4')).toMatchObject({ bonus: '44' });
    } finally {
      await f.org.admin('select rowscope.remove_profile_member($1, $2)', ['bonus_create', f.org.id('hr')]);
    }
  });

  it('a column no profile names is settable by System Administrator only', async () => {
    expect((await f.org.refused('manager', `insert into api.employee (name, ssn) values ('x5', 's')`)).message).toContain('column ssn');
    await f.org.as('sysadmin', `insert into api.employee (name, ssn, salary) values ('x6', 's6', 6)`);
    expect(await stored('x6')).toMatchObject({ ssn: 's6', salary: '6' });
  });

  it('inserting into the data table directly with a secured column is refused', async () => {
    expect((await f.org.refused('manager', `insert into app.employee (name, salary) values ('x7', 1)`)).code).toBe('42501');
    // without it, the data table takes the insert
    await f.org.as('hr', `insert into app.employee (name) values ('x8')`);
    expect(await stored('x8')).toMatchObject({ salary: null });
  });
});

describe('update', () => {
  it('updating a secured column without update is refused, naming the column, and changes nothing', async () => {
    const err = await f.org.refused('hr', `update api.employee set salary = 1, title = 'boss' where name = 'ann'`);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('update of column salary');
    // the row's own checks come first: viewer may not write the row at all
    const viewer = await f.org.refused('viewer', `update api.employee set salary = 1, title = 'boss' where name = 'ann'`);
    expect(viewer.code).toBe('42501');
    expect(viewer.message).toContain('lacks write on employee');
    expect(await stored('ann')).toMatchObject({ salary: '1000', title: null });
  });

  it('an update that does not mention the secured column keeps its stored value', async () => {
    const [row] = await f.org.as('hr', `update api.employee set title = 'lead' where name = 'ann' returning title, salary`);
    expect(row).toEqual({ title: 'lead', salary: null }); // masked for hr, not written back
    expect(await stored('ann')).toMatchObject({ title: 'lead', salary: '1000', bonus: '100', ssn: 'ssn-ann' });
  });

  it('setting a column the user may update nowhere to NULL is refused like any value, and erases nothing', async () => {
    const err = await f.org.refused('hr', `update api.employee set salary = null where name = 'ann'`);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('lacks update of column salary');
    expect(await stored('ann')).toMatchObject({ salary: '1000' });
  });

  it('with update on the column the change is stored', async () => {
    const [row] = await f.org.as('manager', `update api.employee set salary = salary + 1, bonus = 7 where name = 'ann' returning salary, bonus`);
    expect(row).toEqual({ salary: '1001', bonus: '7' });
    expect(await stored('ann')).toMatchObject({ salary: '1001', bonus: '7' });
  });

  it('a field share with update allows it on that record only', async () => {
    const [ann] = await f.org.admin(`select id from app.employee where name = 'ann'`);
    await f.org.admin('select rowscope.share_field($1, $2, $3, $4, false, true)', ['employee', ann.id, 'salary', f.org.id('hr')]);
    await f.org.as('hr', `update api.employee set salary = 1200 where name = 'ann'`);
    expect(await stored('ann')).toMatchObject({ salary: '1200' });
    expect((await f.org.refused('hr', `update api.employee set salary = 1 where name = 'x3'`)).message).toContain('column salary');
    await f.org.admin('select rowscope.share_field($1, $2, $3, $4, false, false)', ['employee', ann.id, 'salary', f.org.id('hr')]);
    expect((await f.org.refused('hr', `update api.employee set salary = 1 where name = 'ann'`)).code).toBe('42501');
  });

  it('row rights still apply through the view: a readable row the user may not write is refused', async () => {
    const err = await f.org.refused('viewer', `update api.employee set title = 't' where name = 'ann'`);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('lacks write');
    // rows the user cannot read are absent, not refused
    expect(await f.org.as('clerk', `update api.employee set title = 't' where name = 'ann' returning id`)).toEqual([]);
    expect(await f.org.as('clerk', `update api.employee set title = 'mine' where name = 'own' returning title, salary`)).toEqual([
      { title: 'mine', salary: null },
    ]);
    expect(await stored('own')).toMatchObject({ title: 'mine', salary: '500' });
  });

  it('updating the data table directly: secured column refused, others fine', async () => {
    expect((await f.org.refused('manager', `update app.employee set salary = 1 where name = 'ann'`)).code).toBe('42501');
    await f.org.as('hr', `update app.employee set title = 'direct' where name = 'ann'`);
    expect(await stored('ann')).toMatchObject({ title: 'direct', salary: '1200' });
  });

  it('System Administrator updates every secured column', async () => {
    await f.org.as('sysadmin', `update api.employee set ssn = 'new', bonus = 1 where name = 'ann'`);
    expect(await stored('ann')).toMatchObject({ ssn: 'new', bonus: '1' });
  });

  it('delete through the view still works and takes the field shares with it', async () => {
    const [x3] = await f.org.admin(`select id from app.employee where name = 'x3'`);
    await f.org.admin('select rowscope.share_field($1, $2, $3, $4, true, false)', ['employee', x3.id, 'salary', f.org.id('hr')]);
    // a refused delete keeps the share
    expect((await f.org.refused('viewer', `delete from api.employee where name = 'x3'`)).code).toBe('42501');
    expect(await f.org.admin('select 1 from rowscope.field_share where record_id = $1', [x3.id])).toHaveLength(1);
    expect(await f.org.as('hr', `delete from api.employee where name = 'x3' returning name, salary`)).toEqual([{ name: 'x3', salary: '300' }]);
    expect(await f.org.admin('select 1 from rowscope.field_share where record_id = $1', [x3.id])).toEqual([]);
  });
});
