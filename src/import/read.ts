// Reading an organization for `rowscope import` (docs/reference.md): one JSON file with
// a list per kind, or a folder with one CSV per kind (business_units.csv,
// users.csv, teams.csv, memberships.csv, roles.csv, shares.csv; any subset).
// BUs and teams are named, users are their db_role. Validated with zod before
// the database is touched; a problem names the file, the item and what is
// wrong.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CsvError, parseCsv } from './csv.ts';

const name = z.string().trim().min(1, 'must not be empty');
const RIGHTS = ['read', 'write', 'delete', 'append', 'append_to', 'assign', 'share'] as const;

const businessUnit = z.strictObject({ name, parent: name.optional() });
const user = z.strictObject({
  db_role: name,
  business_unit: name,
  manager: name.optional(),
  access_mode: z.enum(['read_write', 'administrative', 'read', 'non_interactive']).optional(),
});
const team = z.strictObject({ name, business_unit: name, team_type: z.enum(['owner', 'access']).optional() });
const membership = z.strictObject({ team: name, user: name });
/** A role or a share goes to a user (db_role) or to a team (name): exactly one of them. */
const onePrincipal = <T extends { user?: string | undefined; team?: string | undefined }>(v: T, ctx: z.RefinementCtx) => {
  if ((v.user === undefined) === (v.team === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'give exactly one of user and team', path: [] });
  }
};
const role = z.strictObject({
  user: name.optional(),
  team: name.optional(),
  role: name,
  business_unit: name.optional(),
  inheritance: z.enum(['team_only', 'direct_user_and_team']).optional(),
}).superRefine(onePrincipal);
const share = z.strictObject({
  table: name,
  record_id: z.uuid('must be a uuid'),
  user: name.optional(),
  team: name.optional(),
  rights: z.array(z.enum(RIGHTS)).min(1, 'give at least one right'),
}).superRefine(onePrincipal);

export const KINDS = ['business_units', 'users', 'teams', 'memberships', 'roles', 'shares'] as const;
export type Kind = (typeof KINDS)[number];

const organization = z.strictObject({
  business_units: z.array(businessUnit).optional(),
  users: z.array(user).optional(),
  teams: z.array(team).optional(),
  memberships: z.array(membership).optional(),
  roles: z.array(role).optional(),
  shares: z.array(share).optional(),
});

export type BusinessUnitItem = z.infer<typeof businessUnit>;
export type UserItem = z.infer<typeof user>;
export type TeamItem = z.infer<typeof team>;
export type MembershipItem = z.infer<typeof membership>;
export type RoleItem = z.infer<typeof role>;
export type ShareItem = z.infer<typeof share>;

export interface ImportData {
  business_units: BusinessUnitItem[];
  users: UserItem[];
  teams: TeamItem[];
  memberships: MembershipItem[];
  roles: RoleItem[];
  shares: ShareItem[];
  /** Where item i of a kind comes from, for messages: `org.json: users[3]` or `org/users.csv line 5`. */
  where(kind: Kind, index: number): string;
}

/** Bad input: every problem found, one line each. */
export class ImportInputError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ImportInputError';
  }
}

const MAX_PROBLEMS = 20;

function issuesToProblems(issues: z.core.$ZodIssue[], locate: (path: PropertyKey[]) => string): string[] {
  return issues.slice(0, MAX_PROBLEMS).map((issue) => `${locate(issue.path)}: ${issue.message}`);
}

export function readImport(path: string): ImportData {
  if (!existsSync(path)) throw new ImportInputError([`${path}: no such file or folder`]);
  return statSync(path).isDirectory() ? readFolder(path) : readJson(path);
}

function readJson(file: string): ImportData {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ImportInputError([`${file}: not valid JSON (${(error as Error).message})`]);
  }
  const parsed = organization.safeParse(raw);
  if (!parsed.success) {
    throw new ImportInputError(issuesToProblems(parsed.error.issues, (path) => {
      const [kind, index, ...rest] = path;
      const item = typeof index === 'number' ? `${String(kind)}[${index}]` : String(kind ?? '(top level)');
      return `${file}: ${[item, ...rest.map(String)].join('.')}`;
    }));
  }
  return withDefaults(parsed.data, (kind, index) => `${file}: ${kind}[${index}]`);
}

function readFolder(dir: string): ImportData {
  const known = new Set(KINDS.map((k) => `${k}.csv`));
  const csvs = readdirSync(dir).filter((f) => f.endsWith('.csv'));
  const unknown = csvs.filter((f) => !known.has(f));
  if (unknown.length > 0) {
    throw new ImportInputError(unknown.map((f) => `${join(dir, f)}: not a kind rowscope imports (${[...known].join(', ')})`));
  }
  if (csvs.length === 0) throw new ImportInputError([`${dir}: no CSV file (${[...known].join(', ')})`]);
  const lines: Partial<Record<Kind, number[]>> = {};
  const data: Record<string, unknown[]> = {};
  const problems: string[] = [];
  for (const kind of KINDS) {
    const file = join(dir, `${kind}.csv`);
    if (!existsSync(file)) continue;
    let rows;
    try {
      rows = parseCsv(readFileSync(file, 'utf8'));
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      problems.push(`${file} ${error.message}`);
      continue;
    }
    lines[kind] = rows.map((r) => r.line);
    // rights: a list in one field, separated by spaces, ; or |
    data[kind] = rows.map((r) => (kind === 'shares' && r.values.rights !== undefined
      ? { ...r.values, rights: r.values.rights.split(/[\s;|]+/).filter(Boolean) }
      : r.values));
  }
  if (problems.length > 0) throw new ImportInputError(problems);
  const parsed = organization.safeParse(data);
  const at = (kind: Kind, index: number) => `${join(dir, `${kind}.csv`)} line ${lines[kind]?.[index] ?? '?'}`;
  if (!parsed.success) {
    throw new ImportInputError(issuesToProblems(parsed.error.issues, (path) => {
      const [kind, index, ...rest] = path;
      const column = rest.length > 0 ? ` column ${String(rest[0])}` : '';
      return typeof index === 'number' ? `${at(kind as Kind, index)}${column}` : `${dir}: ${String(kind)}`;
    }));
  }
  return withDefaults(parsed.data, at);
}

function withDefaults(data: z.infer<typeof organization>, where: (kind: Kind, index: number) => string): ImportData {
  return {
    business_units: data.business_units ?? [],
    users: data.users ?? [],
    teams: data.teams ?? [],
    memberships: data.memberships ?? [],
    roles: data.roles ?? [],
    shares: data.shares ?? [],
    where,
  };
}
