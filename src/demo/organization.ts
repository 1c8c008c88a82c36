// Who is who in the Contoso demo: the business-unit tree and the position
// hierarchy of the seeds' guide (004), and the demo users, one per kind of
// access worth seeing.

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

/**
 * The guide's position hierarchy: [name, parent]; parents come first. Positions
 * cross business units (model `hierarchy: { model: position, depth: 3 }`).
 */
export const POSITIONS: readonly (readonly [string, string | null])[] = [
  ['CEO', null],
  ['VP Sales', 'CEO'],
  ['Sales Manager NA', 'VP Sales'],
  ['Sales Rep NA', 'Sales Manager NA'],
  ['Sales Manager EMEA', 'VP Sales'],
  ['VP Service', 'CEO'],
  ['Service Manager', 'VP Service'],
];

export interface DemoUser {
  /** the database role (login) */
  role: string;
  name: string;
  title: string;
  businessUnit: string;
  roles: string[];
  /** their place in POSITIONS (several users may share one, as the reps do) */
  position?: string;
  /** their employee record's annual_income (a secured column) */
  salary: number;
  /** how many accounts (each with its contacts) the seed gives them */
  accounts: number;
  /** cities their accounts are in */
  region: 'us_east' | 'us_west' | 'emea' | 'apac' | 'global';
}

export const DEMO_USERS: readonly DemoUser[] = [
  { role: 'irene', name: 'Irene Novak', title: 'IT Director', businessUnit: 'Contoso', roles: ['system_administrator'], salary: 168_000, accounts: 0, region: 'global' },
  { role: 'henry', name: 'Henry Okafor', title: 'Environment Administrator', businessUnit: 'Contoso', roles: ['environment_admin'], salary: 121_000, accounts: 0, region: 'global' },
  { role: 'grace', name: 'Grace Liu', title: 'Data Steward', businessUnit: 'Contoso', roles: ['data_steward'], salary: 104_000, accounts: 0, region: 'global' },
  { role: 'hanna', name: 'Hanna Berg', title: 'HR Manager', businessUnit: 'Contoso', roles: ['hr_manager'], salary: 112_000, accounts: 0, region: 'global' },
  { role: 'clara', name: 'Clara Weiss', title: 'CEO', businessUnit: 'Contoso', roles: ['employee_base'], position: 'CEO', salary: 395_000, accounts: 0, region: 'global' },
  { role: 'alice', name: 'Alice Martin', title: 'VP Sales', businessUnit: 'Sales', roles: ['sales_manager'], position: 'VP Sales', salary: 245_000, accounts: 12, region: 'global' },
  { role: 'nadia', name: 'Nadia Rahman', title: 'Sales Manager NA', businessUnit: 'Sales North America', roles: ['sales_team_member'], position: 'Sales Manager NA', salary: 158_000, accounts: 9, region: 'us_east' },
  { role: 'bob', name: 'Bob Smith', title: 'Account Executive', businessUnit: 'Sales US East', roles: ['sales_team_member'], position: 'Sales Rep NA', salary: 96_000, accounts: 70, region: 'us_east' },
  { role: 'carol', name: 'Carol Diaz', title: 'Account Executive', businessUnit: 'Sales US East', roles: ['sales_team_member'], position: 'Sales Rep NA', salary: 98_500, accounts: 58, region: 'us_east' },
  { role: 'dave', name: 'Dave Brown', title: 'Account Executive', businessUnit: 'Sales US West', roles: ['sales_team_member'], position: 'Sales Rep NA', salary: 94_000, accounts: 64, region: 'us_west' },
  { role: 'erin', name: 'Erin Schulz', title: 'Sales Manager EMEA', businessUnit: 'Sales EMEA', roles: ['sales_team_member'], position: 'Sales Manager EMEA', salary: 151_000, accounts: 61, region: 'emea' },
  { role: 'hiro', name: 'Hiro Tanaka', title: 'Account Manager', businessUnit: 'Sales APAC', roles: ['sales_team_member'], salary: 102_000, accounts: 43, region: 'apac' },
  { role: 'victor', name: 'Victor Hale', title: 'VP Service', businessUnit: 'Service', roles: ['employee_base'], position: 'VP Service', salary: 210_000, accounts: 0, region: 'global' },
  { role: 'frank', name: 'Frank Moreau', title: 'Service Manager', businessUnit: 'Service Tier 1', roles: ['employee_base'], position: 'Service Manager', salary: 118_000, accounts: 22, region: 'global' },
  { role: 'judy', name: 'Judy Park', title: 'Marketing Intern', businessUnit: 'Marketing Campaigns', roles: [], salary: 41_000, accounts: 0, region: 'global' },
];

/**
 * The guide's "Department Managers" owner team (in the root BU; it holds no
 * role): its members read salaries through the Manager Salary View profile.
 */
export const DEPARTMENT_MANAGERS = { name: 'Department Managers', businessUnit: 'Contoso', members: ['clara', 'alice', 'nadia', 'erin', 'victor', 'frank'] };

/**
 * A business unit's default team (sql/074: every BU has one, its members are
 * the BU's users) holding a role: Service Tier 1's team holds employee_base,
 * which frank, its only user, also holds directly, so nobody sees more; the
 * demo's `explain` for frank names both.
 */
export const DEFAULT_TEAM_ROLE = { businessUnit: 'Service Tier 1', role: 'employee_base' };

/** Field security profile members (docs/security-model.md): users by role, or the team above. */
export const PROFILE_MEMBERS: readonly { profile: string; user?: string; team?: string }[] = [
  { profile: 'hr_salary_access', user: 'hanna' },
  { profile: 'manager_salary_view', team: DEPARTMENT_MANAGERS.name },
];

/** The password every demo login gets on the embedded PostgreSQL (loopback only). */
export const DEMO_PASSWORD = 'contoso';
