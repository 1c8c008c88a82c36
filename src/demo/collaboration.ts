// The Contoso demo's sharing, access team and audited changes: a few records
// reached other than through roles, so the demo (and `rowscope explain`) has
// something to show. Accounts are named by owner and position in the sample
// data (sample-data.ts is deterministic), so the plan survives re-seeding.

/** An owner's n-th account in sampleAccounts order (0-based). */
export interface AccountRef {
  owner: string;
  index: number;
}

export interface DemoShare {
  account: AccountRef;
  /** a demo user's role, or an owner team's name */
  principal: { user: string } | { team: string };
  rights: string[];
  why: string;
}

export const SHARES: readonly DemoShare[] = [
  ...[0, 1, 2].map((index) => ({
    account: { owner: 'erin', index }, principal: { user: 'frank' }, rights: ['read'],
    why: 'EMEA escalations that Service follows up (frank reads them; through the positions, so do victor and clara)',
  })),
  {
    account: { owner: 'hiro', index: 0 }, principal: { team: 'Department Managers' }, rights: ['read'],
    why: 'a strategic APAC account every department manager may read',
  },
  {
    account: { owner: 'dave', index: 0 }, principal: { user: 'judy' }, rights: ['read'],
    why: 'accepted, yet judy sees nothing: she holds no role, and a share applies only on top of a privilege',
  },
];

/** The guide's "Account Team" (template account_team: read, write, append) on one of bob's accounts. */
export const ACCOUNT_TEAM = {
  account: { owner: 'bob', index: 0 } satisfies AccountRef,
  template: 'account_team',
  members: ['hiro', 'erin'],
};

/**
 * Reparent inheritance (sql/145; the model's contact -> account relationship
 * cascades reparent): a contact hiro keeps under one of dave's accounts. dave
 * reads it only as the owner of the parent account: hiro sits in Sales APAC,
 * out of dave's business unit and of the position hierarchy.
 */
export const PARENT_OWNER_CONTACT = {
  account: { owner: 'dave', index: 1 } satisfies AccountRef,
  owner: 'hiro',
  name: 'Mei Takahashi',
  jobTitle: 'Regional Buyer (APAC)',
  email: 'mei.takahashi@apac.example',
  phone: '+81 3 5550 0199',
};

/** Changes made as the users themselves (in the seed transaction), so the audit log names them. */
export const AUDITED_CHANGES: readonly { as: string; sql: string; why: string; account?: AccountRef; employee?: string }[] = [
  {
    as: 'bob', account: ACCOUNT_TEAM.account, why: 'the owner raises revenue and credit limit',
    sql: 'update api.account set annual_revenue = annual_revenue + 1500000, credit_limit = credit_limit + 25000 where id = $1',
  },
  {
    as: 'hiro', account: ACCOUNT_TEAM.account, why: 'an access team member (write through account_team) fixes the phone',
    sql: "update api.account set phone = '+1 555 010 2030' where id = $1",
  },
  {
    as: 'hanna', employee: 'bob', why: 'HR (HR Salary Access: update) gives bob a raise',
    sql: 'update api.employee set annual_income = annual_income + 4000 where id = $1',
  },
];
