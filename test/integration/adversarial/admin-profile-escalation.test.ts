// Regression (issue 14, F2): field security profiles reached through team
// membership, and profile membership given by an admin who does not hold the
// profile's column permissions (sql/072 add_team_member, sql/320
// add_profile_member).
//
// bob (manages teams, reads employees, holds no profile) could add himself to
// a team that is a member of salary_view and then read carol's salary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

const salaries = async (persona: string) =>
  (await org.as<{ salary: string | null }>(persona, 'select salary from api.employee order by name')).map((r) => r.salary);
const profileMembers = async () =>
  (await org.admin<{ principal_id: string }>(
    `select m.principal_id from rowscope.field_profile_member m join rowscope.field_security_profile p on p.id = m.profile_id
      where p.name = 'salary_view' order by 1`,
  )).map((r) => r.principal_id);

beforeAll(async () => {
  db = await securedDatabase('escalation');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('bob', 'root', ['team_keeper']);
  await org.createUser('carol', 'root', ['employee_reader']);
  await org.createUser('pat', 'root', ['profile_admin', 'employee_reader']);
  await org.createTeam('payroll', 'root');
  await org.admin(`select rowscope.add_profile_member('salary_view', $1)`, [org.id('payroll')]);
  await org.record('employee', 'carol_row', 'carol', { salary: 98500 });
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('F2: a team that is a member of a field security profile', () => {
  it('bob cannot add himself to it and keeps seeing the salary masked', async () => {
    expect(await salaries('bob')).toEqual([null]);
    const err = await org.refused('bob', 'select rowscope.add_team_member($1, $2)', [org.id('payroll'), org.id('bob')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('field_security_profile');
    expect(await salaries('bob')).toEqual([null]);
    const [m] = await org.admin('select count(*)::int as n from rowscope.team_member where team_id = $1', [org.id('payroll')]);
    expect(m.n).toBe(0);
  });

  it('an admin with write on field_security_profile but without the column permission is refused too', async () => {
    const err = await org.refused('pat', 'select rowscope.add_team_member($1, $2)', [org.id('payroll'), org.id('bob')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('salary');
    expect(await salaries('bob')).toEqual([null]);
  });
});

describe('F2: add_profile_member needs the caller\'s own column permissions', () => {
  it('pat (write on field_security_profile, no salary read) cannot give salary_view', async () => {
    const err = await org.refused('pat', `select rowscope.add_profile_member('salary_view', $1)`, [org.id('bob')]);
    expect(err.code).toBe('42501');
    expect(err.message).toMatch(/read of column salary|employee\.salary/);
    expect(await profileMembers()).toEqual([org.id('payroll')]);
  });

  it('bob (no write on field_security_profile) cannot either', async () => {
    const err = await org.refused('bob', `select rowscope.add_profile_member('salary_view', $1)`, [org.id('bob')]);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('field_security_profile');
  });

  it('once pat holds the permission, pat may give it, directly and through the team', async () => {
    await org.admin(`select rowscope.add_profile_member('salary_view', $1)`, [org.id('pat')]);
    await org.as('pat', `select rowscope.add_profile_member('salary_view', $1)`, [org.id('carol')]);
    expect(await salaries('carol')).toEqual(['98500']);
    await org.as('pat', 'select rowscope.add_team_member($1, $2)', [org.id('payroll'), org.id('bob')]);
    expect(await salaries('bob')).toEqual(['98500']);
  });
});
