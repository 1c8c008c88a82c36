// Who is who in the Contoso demo: the business-unit tree of the seeds' guide
// (004) and the demo users, one per kind of access worth seeing.

/** [name, parent]; parents come first. */
export const BUSINESS_UNITS: readonly (readonly [string, string | null])[] = [
  ['Contoso', null],
  ['Sales', 'Contoso'],
  ['Sales North America', 'Sales'],
  ['Sales US East', 'Sales North America'],
  ['Sales US West', 'Sales North America'],
  ['Sales EMEA', 'Sales'],
  ['Sales APAC', 'Sales'],
  ['Service', 'Contoso'],
  ['Service Tier 1', 'Service'],
  ['Service Tier 2', 'Service'],
  ['Marketing', 'Contoso'],
  ['Marketing Campaigns', 'Marketing'],
];

export interface DemoUser {
  /** the database role (login) */
  role: string;
  name: string;
  title: string;
  businessUnit: string;
  roles: string[];
  manager?: string;
  /** how many accounts (each with its contacts) the seed gives them */
  accounts: number;
  /** cities their accounts are in */
  region: 'us_east' | 'us_west' | 'emea' | 'apac' | 'global';
}

export const DEMO_USERS: readonly DemoUser[] = [
  { role: 'irene', name: 'Irene Novak', title: 'IT Director', businessUnit: 'Contoso', roles: ['system_administrator'], accounts: 0, region: 'global' },
  { role: 'henry', name: 'Henry Okafor', title: 'Environment Administrator', businessUnit: 'Contoso', roles: ['environment_admin'], accounts: 0, region: 'global' },
  { role: 'grace', name: 'Grace Liu', title: 'Data Steward', businessUnit: 'Contoso', roles: ['data_steward'], accounts: 0, region: 'global' },
  { role: 'alice', name: 'Alice Martin', title: 'VP Sales', businessUnit: 'Sales', roles: ['sales_manager'], accounts: 12, region: 'global' },
  { role: 'bob', name: 'Bob Smith', title: 'Account Executive', businessUnit: 'Sales US East', roles: ['sales_team_member'], manager: 'alice', accounts: 70, region: 'us_east' },
  { role: 'carol', name: 'Carol Diaz', title: 'Account Executive', businessUnit: 'Sales US East', roles: ['sales_team_member'], manager: 'alice', accounts: 58, region: 'us_east' },
  { role: 'dave', name: 'Dave Brown', title: 'Account Executive', businessUnit: 'Sales US West', roles: ['sales_team_member'], manager: 'alice', accounts: 64, region: 'us_west' },
  { role: 'erin', name: 'Erin Schulz', title: 'Account Manager', businessUnit: 'Sales EMEA', roles: ['sales_team_member'], manager: 'alice', accounts: 61, region: 'emea' },
  { role: 'hiro', name: 'Hiro Tanaka', title: 'Account Manager', businessUnit: 'Sales APAC', roles: ['sales_team_member'], manager: 'alice', accounts: 43, region: 'apac' },
  { role: 'frank', name: 'Frank Moreau', title: 'Support Agent', businessUnit: 'Service Tier 1', roles: ['employee_base'], accounts: 22, region: 'global' },
  { role: 'judy', name: 'Judy Park', title: 'Marketing Intern', businessUnit: 'Marketing Campaigns', roles: [], accounts: 0, region: 'global' },
];

/** The password every demo login gets on the embedded PostgreSQL (loopback only). */
export const DEMO_PASSWORD = 'contoso';
