// Deterministic sample records: the same accounts, contacts and products on
// every machine, so the demo's numbers (and the tests) do not move.
import type { DemoUser } from './organization.ts';
import { seededRandom } from '../lib/seeded-random.ts';

const STEMS = [
  'Northwind', 'Fabrikam', 'Adventure Works', 'Tailspin', 'Litware', 'Proseware', 'Wingtip', 'Coho', 'Alpine',
  'Trey', 'Woodgrove', 'Lucerne', 'Blue Yonder', 'Humongous', 'Fourth Coffee', 'Wide World', 'VanArsdel',
  'Relecloud', 'A. Datum', 'Southridge', 'Munson', 'Lamna', 'Tasmanian', 'First Up', 'Bellows', 'Margie',
  'Consolidated', 'Graphic Point', 'Nod', 'Best For You', 'City Power', 'Datum Bay', 'Greenleaf', 'Ironclad',
  'Juniper', 'Kestrel', 'Lakeshore', 'Meridian', 'Northstar', 'Oakridge',
];
const SECTORS: [string, string][] = [
  ['Logistics', 'Transportation'], ['Energy', 'Utilities'], ['Health', 'Healthcare'], ['Foods', 'Food & Beverage'],
  ['Pharma', 'Pharmaceuticals'], ['Bank', 'Financial Services'], ['Insurance', 'Insurance'], ['Motors', 'Automotive'],
  ['Retail', 'Retail'], ['Labs', 'Research'], ['Software', 'Technology'], ['Airlines', 'Travel'],
];
const SUFFIXES: Record<DemoUser['region'], string[]> = {
  us_east: ['Inc.', 'LLC', 'Corp.'], us_west: ['Inc.', 'LLC', 'Co.'], emea: ['Ltd', 'GmbH', 'S.A.', 'B.V.'],
  apac: ['Pte Ltd', 'K.K.', 'Pty Ltd'], global: ['Group', 'Holdings', 'International'],
};
const CITIES: Record<DemoUser['region'], [string, string][]> = {
  us_east: [['New York', 'United States'], ['Boston', 'United States'], ['Atlanta', 'United States'], ['Philadelphia', 'United States'], ['Miami', 'United States']],
  us_west: [['Seattle', 'United States'], ['San Francisco', 'United States'], ['Los Angeles', 'United States'], ['Denver', 'United States'], ['Portland', 'United States']],
  emea: [['London', 'United Kingdom'], ['Paris', 'France'], ['Berlin', 'Germany'], ['Madrid', 'Spain'], ['Amsterdam', 'Netherlands'], ['Stockholm', 'Sweden'], ['Milan', 'Italy']],
  apac: [['Tokyo', 'Japan'], ['Singapore', 'Singapore'], ['Sydney', 'Australia'], ['Seoul', 'South Korea'], ['Mumbai', 'India']],
  global: [['Chicago', 'United States'], ['Toronto', 'Canada'], ['Dublin', 'Ireland'], ['Zurich', 'Switzerland'], ['Hong Kong', 'China']],
};
const FIRST = ['James', 'Maria', 'Wei', 'Fatima', 'Lars', 'Sofia', 'Kenji', 'Amara', 'Lucas', 'Priya', 'Mateo', 'Chloe',
  'Omar', 'Hannah', 'Diego', 'Yuki', 'Noah', 'Leila', 'Ethan', 'Ingrid', 'Ravi', 'Elena', 'Samuel', 'Aiko'];
const LAST = ['Anderson', 'Rossi', 'Chen', 'Haddad', 'Nilsson', 'Garcia', 'Sato', 'Okoye', 'Dubois', 'Patel', 'Lopez',
  'Moreau', 'Khan', 'Becker', 'Silva', 'Yamamoto', 'Walker', 'Farah', 'Clarke', 'Larsen', 'Iyer', 'Petrova', 'Cohen', 'Mori'];
const TITLES = ['CEO', 'CFO', 'Head of Procurement', 'IT Manager', 'Operations Director', 'Purchasing Agent',
  'VP Engineering', 'Office Manager', 'Finance Controller', 'Marketing Lead'];

export interface SampleAccount {
  owner: string;
  name: string;
  industry: string;
  city: string;
  country: string;
  phone: string;
  website: string;
  annualRevenue: number;
  creditLimit: number;
  contacts: SampleContact[];
}

export interface SampleContact {
  name: string;
  jobTitle: string;
  email: string;
  phone: string;
}

const pick = <T>(next: () => number, list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
const digits = (next: () => number, n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');

export function sampleAccounts(users: readonly DemoUser[]): SampleAccount[] {
  const next = seededRandom(20241125);
  // Every stem × sector pair once, shuffled: account names are unique.
  const pairs = STEMS.flatMap((stem) => SECTORS.map((sector) => [stem, sector] as const));
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!];
  }
  const accounts: SampleAccount[] = [];
  for (const user of users) {
    for (let i = 0; i < user.accounts; i++) {
      const [stem, [sectorWord, industry]] = pairs[accounts.length % pairs.length]!;
      const [city, country] = pick(next, CITIES[user.region]);
      const domain = `${stem}${sectorWord}`.toLowerCase().replace(/[^a-z]/g, '');
      const contacts = Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
        const first = pick(next, FIRST);
        const last = pick(next, LAST);
        return { name: `${first} ${last}`, jobTitle: pick(next, TITLES), email: `${first}.${last}@${domain}.example`.toLowerCase(), phone: `+1 555 ${digits(next, 3)} ${digits(next, 4)}` };
      });
      accounts.push({
        owner: user.role,
        name: `${stem} ${sectorWord} ${pick(next, SUFFIXES[user.region])}`,
        industry,
        city,
        country,
        phone: `+1 555 ${digits(next, 3)} ${digits(next, 4)}`,
        website: `https://www.${domain}.example`,
        annualRevenue: Math.round(next() * 500) * 100_000 + 250_000,
        creditLimit: Math.round(next() * 40) * 5_000 + 10_000,
        contacts,
      });
    }
  }
  return accounts;
}

export const PRODUCTS: readonly { name: string; sku: string; listPrice: number; description: string }[] = [
  { name: 'Contoso CRM Starter', sku: 'CRM-STR', listPrice: 25, description: 'Per user per month: accounts, contacts, activities' },
  { name: 'Contoso CRM Professional', sku: 'CRM-PRO', listPrice: 65, description: 'Per user per month: Starter plus forecasting and quotes' },
  { name: 'Contoso CRM Enterprise', sku: 'CRM-ENT', listPrice: 105, description: 'Per user per month: Professional plus territories and AI insights' },
  { name: 'Field Service add-on', sku: 'ADD-FS', listPrice: 40, description: 'Per user per month: scheduling, work orders, mobile' },
  { name: 'Customer Insights add-on', sku: 'ADD-CI', listPrice: 1500, description: 'Per tenant per month: unified customer profiles' },
  { name: 'Mobile offline add-on', sku: 'ADD-MOB', listPrice: 10, description: 'Per user per month: offline sync for mobile apps' },
  { name: 'Additional storage 100 GB', sku: 'CAP-STO', listPrice: 40, description: 'Per tenant per month' },
  { name: 'API capacity pack', sku: 'CAP-API', listPrice: 50, description: '10,000 extra API calls per day' },
  { name: 'Premium Support (annual)', sku: 'SUP-PRM', listPrice: 12000, description: '24×7 support with a named engineer' },
  { name: 'Onboarding package', sku: 'SVC-ONB', listPrice: 8500, description: 'Four weeks of guided setup' },
  { name: 'Data migration service', sku: 'SVC-MIG', listPrice: 15000, description: 'Import from a legacy CRM, fixed price' },
  { name: 'Training day (on site)', sku: 'SVC-TRN', listPrice: 2200, description: 'One trainer, up to 12 people' },
];

export interface SampleEmployee {
  /** the demo user it describes, who also owns it (so it lies in their BU) */
  owner: string;
  name: string;
  jobTitle: string;
  department: string;
  email: string;
  hireDate: string;
  annualIncome: number;
}

/** One employee record per demo user; annual_income is the secured column. */
export function sampleEmployees(users: readonly DemoUser[]): SampleEmployee[] {
  return users.map((u, i) => ({
    owner: u.role,
    name: u.name,
    jobTitle: u.title,
    department: u.businessUnit,
    email: `${u.role}@contoso.example`,
    hireDate: `${2014 + ((i * 7) % 11)}-${String(1 + ((i * 5) % 12)).padStart(2, '0')}-${String(1 + ((i * 11) % 28)).padStart(2, '0')}`,
    annualIncome: u.salary,
  }));
}
