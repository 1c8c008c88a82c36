// docs/reference.md add_profile_member / remove_profile_member / share_field and the
// rules that guard them (docs/security-model.md "Field security").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, employee, fields, type Fields } from './setup.ts';

let f: Fields;
let ann: string;
let own: string;
const salaryOf = async (persona: string, name: string) =>
  (await f.org.as(persona, 'select salary from api.employee where name = $1', [name]))[0]?.salary;

beforeAll(async () => {
  f = await fields();
  ann = await employee(f.org, 'ann', 'hr', 1000);
  own = await employee(f.org, 'own', 'clerk', 500);
  await f.org.createUser('profiler_user', 'hr', ['profile_admin_user']);
  await f.org.createUser('profile_reader', 'hr', ['profile_reader']);
});
afterAll(() => close(f));

describe('profile membership', () => {
  it('needs write on field_security_profile: refused without it, naming what is missing', async () => {
    for (const persona of ['hr', 'viewer', 'profile_reader']) {
      const err = await f.org.refused(persona, 'select rowscope.add_profile_member($1, $2)', ['salary_view', f.org.id('clerk')]);
      expect(err.code).toBe('42501');
      expect(err.message).toContain('lacks write on field_security_profile profile salary_view');
    }
    expect((await f.org.refused('hr', 'select rowscope.remove_profile_member($1, $2)', ['salary_view', f.org.id('viewer')])).code).toBe('42501');
    expect(await salaryOf('viewer', 'ann')).toBe('1000');
  });

  // besides write, giving a profile needs its column permissions (held through
  // one's own profiles) unless System Administrator: sql/320 _require_profile_grant
  const holdSalaryView = async (on: boolean) => {
    for (const persona of ['profiler', 'profiler_user'])
      await f.org.admin(`select rowscope.${on ? 'add' : 'remove'}_profile_member('salary_view', $1)`, [f.org.id(persona)]);
  };

  it('giving a profile needs its column permissions too, unless System Administrator', async () => {
    const err = await f.org.refused('profiler', 'select rowscope.add_profile_member($1, $2)', ['salary_view', f.org.id('clerk')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('read of column employee.salary');
    expect(await salaryOf('clerk', 'own')).toBeNull();
  });

  it('write at organization depth, at user depth, and System Administrator all manage it', async () => {
    await holdSalaryView(true);
    for (const persona of ['profiler', 'profiler_user', 'sysadmin']) {
      await f.org.as(persona, 'select rowscope.add_profile_member($1, $2)', ['salary_view', f.org.id('clerk')]);
      expect(await salaryOf('clerk', 'own')).toBe('500');
      await f.org.as(persona, 'select rowscope.remove_profile_member($1, $2)', ['salary_view', f.org.id('clerk')]);
      expect(await salaryOf('clerk', 'own')).toBeNull();
    }
    await holdSalaryView(false);
  });

  it('an access team can hold a profile too', async () => {
    await holdSalaryView(true);
    const team = await f.org.createTeam('readers', 'hr', 'access');
    await f.org.admin('select rowscope.add_team_member($1, $2)', [team, f.org.id('hr')]);
    await f.org.as('profiler', 'select rowscope.add_profile_member($1, $2)', ['salary_view', team]);
    expect(await salaryOf('hr', 'ann')).toBe('1000');
    await f.org.as('profiler', 'select rowscope.remove_profile_member($1, $2)', ['salary_view', team]);
    expect(await salaryOf('hr', 'ann')).toBeNull();
    await holdSalaryView(false);
  });

  it('bad arguments are 22023', async () => {
    const noProfile = await f.org.refused('profiler', 'select rowscope.add_profile_member($1, $2)', ['nope', f.org.id('clerk')]);
    expect(noProfile).toMatchObject({ code: '22023' });
    expect(noProfile.message).toContain('nope');
    const noPrincipal = await f.org.refused('profiler', 'select rowscope.add_profile_member($1, $2)', ['salary_view', '00000000-0000-0000-0000-000000000000']);
    expect(noPrincipal.code).toBe('22023');
  });

  it('profiles come from the model with their column permissions', async () => {
    const rows = await f.org.admin(`select p.name, c.table_name, c.column_name, c.can_read, c.can_create, c.can_update
      from rowscope.field_security_profile p join rowscope.field_profile_column c on c.profile_id = p.id order by 1, 3`);
    expect(rows).toEqual([
      { name: 'bonus_create', table_name: 'employee', column_name: 'bonus', can_read: false, can_create: true, can_update: false },
      { name: 'salary_manage', table_name: 'employee', column_name: 'bonus', can_read: true, can_create: false, can_update: true },
      { name: 'salary_manage', table_name: 'employee', column_name: 'salary', can_read: true, can_create: true, can_update: true },
      { name: 'salary_view', table_name: 'employee', column_name: 'salary', can_read: true, can_create: false, can_update: false },
    ]);
  });

  it('users cannot touch the catalog tables directly', async () => {
    expect((await f.org.refused('sysadmin', 'insert into rowscope.field_profile_member (profile_id, principal_id) select id, $1 from rowscope.field_security_profile', [f.org.id('hr')])).code).toBe('42501');
    expect((await f.org.refused('hr', 'select * from rowscope.field_share')).code).toBe('42501');
  });
});

describe('share_field', () => {
  const share = (persona: string, record: string, column: string, to: string, read: boolean, update: boolean) =>
    f.org.as(persona, 'select rowscope.share_field($1, $2, $3, $4, $5, $6)', ['employee', record, column, f.org.id(to), read, update]);
  const refusedShare = (persona: string, record: string, column: string, to: string, read: boolean, update: boolean) =>
    f.org.refused(persona, 'select rowscope.share_field($1, $2, $3, $4, $5, $6)', ['employee', record, column, f.org.id(to), read, update]);

  it('gives read on that record only, to a user; removed with (false, false)', async () => {
    await share('manager', ann, 'salary', 'hr', true, false);
    expect(await salaryOf('hr', 'ann')).toBe('1000');
    expect(await salaryOf('hr', 'own')).toBeNull();
    expect(await f.org.as('hr', `select rowscope.field_read_mode('employee', 'salary') as m`)).toEqual([{ m: 1 }]);
    await share('manager', ann, 'salary', 'hr', false, false);
    expect(await salaryOf('hr', 'ann')).toBeNull();
    expect(await f.org.admin('select 1 from rowscope.field_share')).toEqual([]);
  });

  it('a share with a team reaches its members', async () => {
    await share('manager', ann, 'salary', 'payroll', true, false);
    await f.org.admin('select rowscope.add_team_member($1, $2)', [f.org.id('payroll'), f.org.id('hr')]);
    try {
      expect(await salaryOf('hr', 'ann')).toBe('1000');
    } finally {
      await f.org.admin('select rowscope.remove_team_member($1, $2)', [f.org.id('payroll'), f.org.id('hr')]);
      await share('manager', ann, 'salary', 'payroll', false, false);
    }
    expect(await salaryOf('hr', 'ann')).toBeNull();
  });

  it('needs the caller to read the column themselves', async () => {
    const err = await refusedShare('hr', ann, 'salary', 'clerk', true, false);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('column salary');
    expect(err.message).toContain('cannot read employee.salary');
  });

  it('needs update on the column to share update', async () => {
    // viewer reads salary but may not update it; and viewer lacks share on the record anyway, so give hr read only
    const err = await refusedShare('viewer', ann, 'salary', 'hr', true, true);
    expect(err.code).toBe('42501');
    await f.org.admin('select rowscope.add_profile_member($1, $2)', ['salary_view', f.org.id('hr')]);
    try {
      const noUpdate = await refusedShare('hr', ann, 'salary', 'clerk', true, true);
      expect(noUpdate.message).toContain('cannot update employee.salary');
      await share('hr', ann, 'salary', 'viewer', true, false); // read only is fine
    } finally {
      await f.org.admin('select rowscope.remove_profile_member($1, $2)', ['salary_view', f.org.id('hr')]);
    }
    await share('manager', ann, 'salary', 'viewer', false, false);
  });

  it('needs share on the record', async () => {
    // viewer reads ann and its salary but holds no share privilege
    const err = await refusedShare('viewer', ann, 'salary', 'hr', true, false);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('lacks share on employee');
  });

  it('a record the caller cannot read is "no such record" (22023), like a missing one', async () => {
    await f.org.admin('select rowscope.add_profile_member($1, $2)', ['salary_manage', f.org.id('clerk')]);
    try {
      const hidden = await refusedShare('clerk', ann, 'salary', 'hr', true, false);
      const missing = await refusedShare('clerk', '00000000-0000-0000-0000-000000000001', 'salary', 'hr', true, false);
      expect(hidden.code).toBe('22023');
      expect(missing.code).toBe('22023');
      expect(hidden.message).toContain('no such record');
      expect(missing.message).toContain('no such record');
      // on its own record, clerk (share at user depth + profile) may share
      await share('clerk', own, 'salary', 'hr', true, false);
      expect(await salaryOf('hr', 'own')).toBe('500');
      await share('clerk', own, 'salary', 'hr', false, false);
    } finally {
      await f.org.admin('select rowscope.remove_profile_member($1, $2)', ['salary_manage', f.org.id('clerk')]);
    }
  });

  it('bad table or column is 22023; a share of an unsecured column too', async () => {
    expect((await f.org.refused('manager', `select rowscope.share_field('nope', $1, 'salary', $2, true, false)`, [ann, f.org.id('hr')])).code).toBe('22023');
    const plain = await refusedShare('manager', ann, 'title', 'hr', true, false);
    expect(plain.code).toBe('22023');
    expect(plain.message).toContain('not a secured column');
  });

  it('re-sharing replaces the flags', async () => {
    await share('manager', ann, 'salary', 'hr', true, true);
    await share('manager', ann, 'salary', 'hr', true, false);
    expect(await f.org.admin('select can_read, can_update from rowscope.field_share')).toEqual([{ can_read: true, can_update: false }]);
    expect((await f.org.refused('hr', `update api.employee set salary = 5 where name = 'ann'`)).code).toBe('42501');
    await share('manager', ann, 'salary', 'hr', false, false);
  });
});
