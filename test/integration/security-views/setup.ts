// The organization the security data views are read in, as each persona:
//   root ─ sales ─ east
//        └ hr
// sys, sys_read (read mode): System Administrator; env: environment_admin
// (organization depth on the built-in tables) in administrative mode; bu_admin
// (business_unit depth) and deep_admin (parent_child) in sales; plain and
// disabled: employees in east; other: an employee in hr; manager: shares
// accounts at organization depth, in hr. Team east_team (east) holds plain;
// team hr_team (hr) holds other and has role team_reader.
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import type { TestDatabase } from '../../support/database.ts';

export interface ViewsOrg {
  db: TestDatabase;
  org: Org;
}

export async function viewsOrg(): Promise<ViewsOrg> {
  const db = await securedDatabase('security_views');
  const org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('east', 'sales');
  await org.createBu('hr', 'root');
  await org.createUser('sys', 'root', ['system_administrator']);
  await org.createUser('sys_read', 'root', ['system_administrator'], 'read');
  await org.createUser('env', 'root', ['environment_admin'], 'administrative');
  await org.createUser('bu_admin', 'sales', ['bu_admin']);
  await org.createUser('deep_admin', 'sales', ['deep_admin']);
  await org.createUser('plain', 'east', ['employee']);
  await org.createUser('disabled', 'east', ['employee']);
  await org.createUser('other', 'hr', ['employee']);
  await org.createUser('manager', 'hr', ['account_manager']);
  await org.admin('select rowscope.set_manager($1, $2)', [org.id('plain'), org.id('bu_admin')]);
  await org.createTeam('east_team', 'east');
  await org.createTeam('hr_team', 'hr');
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('east_team'), org.id('plain')]);
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('hr_team'), org.id('other')]);
  await org.admin(`select rowscope.assign_role($1, 'team_reader')`, [org.id('hr_team')]);
  await org.admin(`select rowscope.add_profile_member('credit_view', $1)`, [org.id('other')]);
  await org.admin('select rowscope.disable_user($1)', [org.id('disabled')]);
  return { db, org };
}

export async function closeViews(v: ViewsOrg | undefined): Promise<void> {
  await v?.org.close();
  await v?.db.drop();
}

/** The sorted values of one column of an api view as a persona. */
export async function column(v: ViewsOrg, persona: string, view: string, col: string): Promise<string[]> {
  const rows = await v.org.as(persona, `select ${col}::text as v from api.${view}`);
  return rows.map((r) => r.v as string).sort();
}
