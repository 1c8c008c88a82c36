// The demo's "things to try": one command per feature, with the ids of this
// database's records (ids are random; the accounts are found by their
// deterministic names), each with what it shows.
import pg from 'pg';
import { ACCOUNT_TEAM, PARENT_OWNER_CONTACT, SHARES, type AccountRef } from './collaboration.ts';
import { DEFAULT_TEAM_ROLE, DEMO_USERS } from './organization.ts';
import { sampleAccounts } from './sample-data.ts';

export interface DemoExample {
  feature: string;
  /** the command after the CLI invocation (`as …` or `explain …`) */
  args: string;
  note: string;
}

function accountName(ref: AccountRef): string {
  const name = sampleAccounts(DEMO_USERS).filter((a) => a.owner === ref.owner)[ref.index]?.name;
  if (!name) throw new Error(`the demo data has no account #${ref.index} of ${ref.owner}`);
  return name;
}

export async function demoExamples(url: string): Promise<DemoExample[]> {
  const judyShare = SHARES.find((s) => 'user' in s.principal && s.principal.user === 'judy')!;
  const teamAccount = accountName(ACCOUNT_TEAM.account);
  const sharedAccount = accountName(judyShare.account);
  const frankAccount = accountName({ owner: 'frank', index: 0 });
  const parentAccount = accountName(PARENT_OWNER_CONTACT.account);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; id: string }>('select name, id::text from app.account where name = any ($1)',
      [[teamAccount, sharedAccount, frankAccount]]);
    const id = new Map(rows.map((r) => [r.name, r.id]));
    const { rows: [contact] } = await client.query<{ id: string }>('select id::text from app.contact where email = $1', [PARENT_OWNER_CONTACT.email]);
    if (!contact) throw new Error(`the demo seed has no contact ${PARENT_OWNER_CONTACT.email}`);
    return [
      { feature: 'hierarchy', args: 'as victor -- "select name, city from api.account"',
        note: 'VP Service (BU Service) reads the accounts of frank, one position below, in Service Tier 1' },
      { feature: 'field security', args: 'as nadia -- "select name, annual_income from api.employee"',
        note: 'her reps\' salaries (Manager Salary View through the Department Managers team); as bob: NULL' },
      { feature: 'access team', args: `explain --user hiro --table account --id ${id.get(teamAccount)}`,
        note: `hiro is on the account team of bob's "${teamAccount}"` },
      { feature: 'default team', args: `explain --user frank --table account --id ${id.get(frankAccount)}`,
        note: `frank holds ${DEFAULT_TEAM_ROLE.role} directly and through the default team of ${DEFAULT_TEAM_ROLE.businessUnit}, his business unit` },
      { feature: 'reparent', args: `explain --user dave --table contact --id ${contact.id}`,
        note: `${PARENT_OWNER_CONTACT.owner}'s contact ${PARENT_OWNER_CONTACT.name}, under dave's "${parentAccount}": dave reads it as the owner of the parent account` },
      { feature: 'why not', args: `explain --user judy --table account --id ${id.get(sharedAccount)}`,
        note: `"${sharedAccount}" is shared with judy, but she holds no role` },
      { feature: 'audit', args: 'as grace -- "select at, db_role, action, changes from api.audit_log where action = \'update\'"',
        note: 'who changed what (the data steward holds view_audit_history)' },
    ];
  } finally {
    await client.end().catch(() => {});
  }
}
