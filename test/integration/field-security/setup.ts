// Shared setup of the field-security tests: a database secured by
// test/fixtures/models/fields.yaml, one BU tree and the personas:
//
//   hr          organization read/write/create/share on employee, no profile
//   viewer      reader + profile salary_view (read salary)
//   manager     hr + profile salary_manage (salary: read/create/update; bonus: read/update)
//   teamed      reader, holds salary_view through owner team "payroll"
//   clerk       user-depth employee rights, no profile
//   sysadmin    system_administrator
//   profiler    profile_admin (write on field_security_profile)
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

export interface Fields {
  db: TestDatabase;
  org: Org;
}

export async function fields(): Promise<Fields> {
  const db = await securedDatabase('fields');
  const org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('hr', 'root');
  await org.createUser('hr', 'hr', ['hr']);
  await org.createUser('viewer', 'hr', ['reader']);
  await org.createUser('manager', 'hr', ['hr']);
  await org.createUser('teamed', 'hr', ['reader']);
  await org.createUser('clerk', 'hr', ['clerk']);
  await org.createUser('sysadmin', 'root', ['system_administrator']);
  await org.createUser('profiler', 'root', ['profile_admin']);
  await org.createTeam('payroll', 'hr');
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('payroll'), org.id('teamed')]);
  await org.admin('select rowscope.add_profile_member($1, $2)', ['salary_view', org.id('viewer')]);
  await org.admin('select rowscope.add_profile_member($1, $2)', ['salary_manage', org.id('manager')]);
  await org.admin('select rowscope.add_profile_member($1, $2)', ['salary_view', org.id('payroll')]);
  return { db, org };
}

/** An employee owned by `owner`, inserted by the deployment administrator. */
export function employee(org: Org, name: string, owner: string, salary: number | null, extra: Record<string, unknown> = {}): Promise<string> {
  return org.record('employee', name, owner, { salary, bonus: salary === null ? null : salary / 10, ssn: `ssn-${name}`, ...extra });
}

export async function close(f: Fields | undefined): Promise<void> {
  await f?.org.close();
  await f?.db.drop();
}
