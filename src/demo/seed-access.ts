// The part of the Contoso seed beyond roles: the position hierarchy, the
// Department Managers team and the field security profiles' members, a role
// for a default business-unit team, the shares and the account team, a contact
// read through its parent account's owner, and a few changes made as the users
// themselves so the audit log has something to show. Runs inside seedContoso's
// transaction, as the deployment administrator, through the SQL API.
import type pg from 'pg';
import { allowActingAsUsers } from '../db/act-as-users.ts';
import { ACCOUNT_TEAM, AUDITED_CHANGES, PARENT_OWNER_CONTACT, SHARES, type AccountRef } from './collaboration.ts';
import { DEFAULT_TEAM_ROLE, DEMO_USERS, DEPARTMENT_MANAGERS, POSITIONS, PROFILE_MEMBERS } from './organization.ts';

export interface SeededIds {
  businessUnits: Map<string, string>;
  /** by db role */
  users: Map<string, string>;
  /** owner's role → their account ids in sampleAccounts order */
  accounts: Map<string, string[]>;
  /** the described user's role → employee id */
  employees: Map<string, string>;
}

export function accountId(ids: SeededIds, ref: AccountRef): string {
  const id = ids.accounts.get(ref.owner)?.[ref.index];
  if (!id) throw new Error(`the demo seed has no account #${ref.index} of ${ref.owner}`);
  return id;
}

const one = async (client: pg.ClientBase, text: string, values: unknown[]) => (await client.query<{ id: string }>(text, values)).rows[0]!.id;

export async function seedAccess(client: pg.ClientBase, ids: SeededIds, say: (line: string) => void): Promise<void> {
  say(`  ${POSITIONS.length} positions`);
  const positions = new Map<string, string>();
  for (const [name, parent] of POSITIONS) {
    positions.set(name, await one(client, 'select rowscope.create_position($1, $2) as id', [name, parent === null ? null : positions.get(parent)]));
  }
  for (const user of DEMO_USERS) {
    if (user.position) await client.query('select rowscope.set_position($1, $2)', [ids.users.get(user.role), positions.get(user.position)]);
  }

  say(`  the ${DEPARTMENT_MANAGERS.name} team and the field security profiles' members`);
  const team = await one(client, 'select rowscope.create_team($1, $2) as id', [DEPARTMENT_MANAGERS.name, ids.businessUnits.get(DEPARTMENT_MANAGERS.businessUnit)]);
  for (const member of DEPARTMENT_MANAGERS.members) await client.query('select rowscope.add_team_member($1, $2)', [team, ids.users.get(member)]);
  const teams = new Map([[DEPARTMENT_MANAGERS.name, team]]);
  for (const m of PROFILE_MEMBERS) {
    await client.query('select rowscope.add_profile_member($1, $2)', [m.profile, m.user ? ids.users.get(m.user) : teams.get(m.team!)]);
  }

  say(`  role ${DEFAULT_TEAM_ROLE.role} for the default team of ${DEFAULT_TEAM_ROLE.businessUnit}`);
  // create_business_unit made the team (sql/074); its members are the BU's users
  const defaultTeam = await one(client, 'select id from rowscope.team where business_unit_id = $1 and is_default',
    [ids.businessUnits.get(DEFAULT_TEAM_ROLE.businessUnit)]);
  await client.query('select rowscope.assign_role($1, $2)', [defaultTeam, DEFAULT_TEAM_ROLE.role]);

  say(`  ${SHARES.length} shares and an account team`);
  for (const share of SHARES) {
    const principal = 'user' in share.principal ? ids.users.get(share.principal.user) : teams.get(share.principal.team);
    await client.query('select rowscope.grant_access($1, $2, $3, $4)', ['account', accountId(ids, share.account), principal, share.rights]);
  }
  for (const member of ACCOUNT_TEAM.members) {
    await client.query('select rowscope.add_access_team_member($1, $2, $3, $4)',
      ['account', accountId(ids, ACCOUNT_TEAM.account), ACCOUNT_TEAM.template, ids.users.get(member)]);
  }

  say(`  a contact of ${PARENT_OWNER_CONTACT.owner}'s under an account of ${PARENT_OWNER_CONTACT.account.owner}'s`);
  const c = PARENT_OWNER_CONTACT;
  // the model tables' trigger records the parent's owner (sql/145 _sync_parent_owner_reads)
  await client.query('insert into app.contact (name, job_title, email, phone, account_id, owner_id) values ($1, $2, $3, $4, $5, $6)',
    [c.name, c.jobTitle, c.email, c.phone, accountId(ids, c.account), ids.users.get(c.owner)]);

  say(`  ${AUDITED_CHANGES.length} changes made as the users (for the audit log)`);
  // a deployer that is no superuser may SET ROLE to users only this way (src/db/act-as-users.ts)
  const done = await allowActingAsUsers(client);
  for (const change of AUDITED_CHANGES) {
    const id = change.account ? accountId(ids, change.account) : ids.employees.get(change.employee!);
    // As that user, for this statement only: RLS, field security and the audit
    // log see them, not the administrator.
    await client.query("select set_config('role', $1, true)", [change.as]);
    const { rowCount } = await client.query(change.sql, [id]);
    await client.query('reset role');
    if (rowCount !== 1) throw new Error(`the demo seed: ${change.as} could not make the change "${change.why}"`);
  }
  await done();
}
