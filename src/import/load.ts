// Loading an organization read by ./read.ts into the database (docs/reference.md
// `rowscope import`): in ONE transaction, as the deployment administrator,
// through the bulk SQL functions (sql/150..153), kind after kind. Names are
// resolved first (to what the file creates or the database has), so a bad
// reference is reported before anything is written; a refusal by the database
// rolls everything back. The new users' logins are created at the end
// (create_users' defer_logins, then create_user_logins): until then each
// statement's class refresh (sql/050) skips them, and their classes are
// derived once, from the final state. Shares go in slices ordered by principal:
// each slice's statement refreshes the classes of its own existing principals only.
import type pg from 'pg';
import { sql } from '../sql/index.ts';
import { ImportInputError, type ImportData, type Kind } from './read.ts';

export type Say = (line: string) => void;

export interface KindStats {
  kind: Kind;
  rows: number;
  seconds: number;
}

const SLICE: Record<Kind, number> = {
  business_units: 1, users: 2_000, teams: 1, memberships: 10_000, roles: 10_000, shares: 50_000,
};

/** The bulk functions name an item of the slice as `<argument>[i]`: rewrite it to the file's item. */
const BULK_ARGUMENT: Partial<Record<Kind, string>> = {
  users: 'users', memberships: 'members', roles: 'assignments', shares: 'shares',
};

export class ImportRefused extends Error {
  constructor(message: string, readonly code?: string) {
    super(message);
    this.name = 'ImportRefused';
  }
}

function rate(rows: number, seconds: number): string {
  return seconds > 0 && rows > 0 ? `, ${Math.round(rows / seconds)}/s` : '';
}

interface Names {
  bus: Map<string, string>;
  users: Map<string, string>;
  teams: Map<string, string>;
}

async function existingNames(client: pg.ClientBase): Promise<Names> {
  const q = async (text: string) => new Map((await client.query<{ k: string; id: string }>(text)).rows.map((r) => [r.k, r.id]));
  return {
    bus: await q(sql`select name as k, id from rowscope.business_unit`.text),
    users: await q(sql`select db_role::text as k, id from rowscope.system_user`.text),
    teams: await q(sql`select name as k, id from rowscope.team where record_id is null`.text),
  };
}

/** Every name the file uses resolves, nothing is created twice, the BU tree has no cycle. */
function checkReferences(data: ImportData, names: Names, root: string | null): string[] {
  const problems: string[] = [];
  const bus = new Set(names.bus.keys());
  const users = new Set(names.users.keys());
  const teams = new Set(names.teams.keys());
  const fileBus = new Map(data.business_units.map((b, i) => [b.name, i]));
  data.business_units.forEach((b, i) => {
    if (bus.has(b.name)) problems.push(`${data.where('business_units', i)}: a business unit named '${b.name}' exists already`);
    else if (fileBus.get(b.name) !== i) problems.push(`${data.where('business_units', i)}: business unit '${b.name}' appears twice`);
    if (b.parent === undefined && root !== null) {
      problems.push(`${data.where('business_units', i)}: no parent, but the organization has its root ('${root}') already`);
    } else if (b.parent !== undefined && !bus.has(b.parent) && !fileBus.has(b.parent)) {
      problems.push(`${data.where('business_units', i)}.parent: no business unit named '${b.parent}'`);
    }
  });
  const roots = data.business_units.filter((b) => b.parent === undefined);
  if (root === null && roots.length > 1) problems.push(`${data.where('business_units', data.business_units.indexOf(roots[1]!))}: a second root (one organization has one)`);
  // a cycle: a file BU that never reaches an existing BU or the root
  for (const [i, b] of data.business_units.entries()) {
    const seen = new Set<string>();
    let at: string | undefined = b.name;
    while (at !== undefined && fileBus.has(at) && !seen.has(at)) {
      seen.add(at);
      at = data.business_units[fileBus.get(at)!]!.parent;
    }
    if (at !== undefined && seen.has(at)) {
      problems.push(`${data.where('business_units', i)}: its parents make a cycle (${[...seen].join(' → ')})`);
      break;
    }
  }
  for (const b of fileBus.keys()) bus.add(b);
  // each business unit has a default team named after it (sql/074)
  for (const b of fileBus.keys()) teams.add(b);
  const fileUsers = new Map(data.users.map((u, i) => [u.db_role, i]));
  data.users.forEach((u, i) => {
    if (users.has(u.db_role)) problems.push(`${data.where('users', i)}: ${u.db_role} is a rowscope user already`);
    else if (fileUsers.get(u.db_role) !== i) problems.push(`${data.where('users', i)}: ${u.db_role} appears twice`);
    if (!bus.has(u.business_unit)) problems.push(`${data.where('users', i)}.business_unit: no business unit named '${u.business_unit}'`);
  });
  for (const u of fileUsers.keys()) users.add(u);
  data.users.forEach((u, i) => {
    if (u.manager !== undefined && !users.has(u.manager)) problems.push(`${data.where('users', i)}.manager: no user ${u.manager}`);
  });
  const fileTeams = new Map(data.teams.map((t, i) => [t.name, i]));
  data.teams.forEach((t, i) => {
    if (fileBus.has(t.name)) problems.push(`${data.where('teams', i)}: '${t.name}' is the name of the default team of the business unit the file creates`);
    else if (teams.has(t.name)) problems.push(`${data.where('teams', i)}: a team named '${t.name}' exists already`);
    else if (fileTeams.get(t.name) !== i) problems.push(`${data.where('teams', i)}: team '${t.name}' appears twice`);
    if (!bus.has(t.business_unit)) problems.push(`${data.where('teams', i)}.business_unit: no business unit named '${t.business_unit}'`);
  });
  for (const t of fileTeams.keys()) teams.add(t);
  const principal = (kind: Kind, i: number, item: { user?: string | undefined; team?: string | undefined }) => {
    if (item.user !== undefined && !users.has(item.user)) problems.push(`${data.where(kind, i)}.user: no user ${item.user}`);
    if (item.team !== undefined && !teams.has(item.team)) problems.push(`${data.where(kind, i)}.team: no team named '${item.team}'`);
  };
  data.memberships.forEach((m, i) => principal('memberships', i, m));
  data.roles.forEach((r, i) => {
    principal('roles', i, r);
    if (r.business_unit !== undefined && !bus.has(r.business_unit)) {
      problems.push(`${data.where('roles', i)}.business_unit: no business unit named '${r.business_unit}'`);
    }
  });
  data.shares.forEach((s, i) => principal('shares', i, s));
  return problems;
}

/** A refusal of a bulk call: the slice's item index becomes the file's item. */
function refusal(error: unknown, data: ImportData, kind: Kind, offset: number): Error {
  const e = error as { message?: string; code?: string; severity?: string };
  if (typeof e.code !== 'string' || typeof e.severity !== 'string') return error as Error;
  const argument = BULK_ARGUMENT[kind];
  const message = (e.message ?? '').replace(/^rowscope: /, '');
  const match = argument ? new RegExp(`^${argument}\\[(\\d+)\\](\\.\\w+)?: (.*)$`, 's').exec(message) : null;
  if (match) {
    return new ImportRefused(`${data.where(kind, offset + Number(match[1]))}${match[2] ?? ''}: ${match[3]} [SQLSTATE ${e.code}]`, e.code);
  }
  return new ImportRefused(`${kind}${offset > 0 || SLICE[kind] === 1 ? ` (${data.where(kind, offset)})` : ''}: ${message} [SQLSTATE ${e.code}]`, e.code);
}

/** Runs the import in the caller's connection; the caller owns the transaction. */
export async function importOrganization(client: pg.ClientBase, data: ImportData, say: Say): Promise<KindStats[]> {
  const { rows: [me] } = await client.query<{ admin: boolean; role: string }>(sql`
    select r.rolsuper or exists (select from pg_auth_members m join pg_roles a on a.oid = m.roleid
                                 where a.rolname = 'rowscope_admin' and m.member = r.oid) as admin, r.rolname as role
    from pg_roles r where r.rolname = current_user`.text);
  if (!me?.admin) {
    throw new ImportRefused(`rowscope import runs as the deployment administrator (a superuser or a member of rowscope_admin); ${me?.role ?? 'this login'} is neither`);
  }
  const names = await existingNames(client);
  const { rows: [rootRow] } = await client.query<{ name: string | null }>(
    sql`select name from rowscope.business_unit where parent_id is null`.text);
  const problems = checkReferences(data, names, rootRow?.name ?? null);
  if (problems.length > 0) throw new ImportInputError(problems.slice(0, 20));

  const stats: KindStats[] = [];
  const step = async (kind: Kind, rows: number, fn: () => Promise<void>) => {
    if (rows === 0) return;
    const started = Date.now();
    await fn();
    const seconds = (Date.now() - started) / 1000;
    stats.push({ kind, rows, seconds });
    say(`${kind}: ${rows} in ${seconds.toFixed(1)} s${rate(rows, seconds)}`);
  };
  /** Calls fn per slice of items, with progress between slices of a large kind. */
  const sliced = async <T>(kind: Kind, items: T[], fn: (slice: T[]) => Promise<void>) => {
    const size = SLICE[kind];
    for (let from = 0; from < items.length; from += size) {
      try {
        await fn(items.slice(from, from + size));
      } catch (error) {
        throw refusal(error, data, kind, from);
      }
      if (items.length > size && size > 1) say(`  ${kind}: ${Math.min(from + size, items.length)}/${items.length}`);
    }
  };
  const bu = (name: string) => names.bus.get(name)!;
  const userId = (role: string) => names.users.get(role)!;
  const principal = (item: { user?: string | undefined; team?: string | undefined }) =>
    item.user !== undefined ? userId(item.user) : names.teams.get(item.team!)!;

  // parents first
  const order: number[] = [];
  const placed = new Set<string>(names.bus.keys());
  while (order.length < data.business_units.length) {
    for (const [i, b] of data.business_units.entries()) {
      if (!placed.has(b.name) && (b.parent === undefined || placed.has(b.parent))) {
        order.push(i);
        placed.add(b.name);
      }
    }
  }
  await step('business_units', data.business_units.length, () => sliced('business_units', order, async ([i]) => {
    const b = data.business_units[i!]!;
    const { rows: [row] } = await client.query<{ id: string }>(sql`select rowscope.create_business_unit($1, $2) as id`.text,
      [b.name, b.parent === undefined ? null : bu(b.parent)]);
    names.bus.set(b.name, row!.id);
  }));

  // the new business units' default teams, by name
  const { rows: defaults } = await client.query<{ name: string; id: string }>(
    sql`select name, id from rowscope.team where is_default and business_unit_id = any ($1)`.text, [[...names.bus.values()]]);
  for (const t of defaults) names.teams.set(t.name, t.id);

  await step('users', data.users.length, () => sliced('users', data.users, async (slice) => {
    const { rows } = await client.query<{ db_role: string; id: string }>(sql`select db_role, id from rowscope.create_users($1, true)`.text,
      [JSON.stringify(slice.map((u) => ({ db_role: u.db_role, business_unit_id: bu(u.business_unit), access_mode: u.access_mode })))]);
    for (const r of rows) names.users.set(r.db_role, r.id);
  }));
  const managed = data.users.filter((u) => u.manager !== undefined);
  if (managed.length > 0) {
    const started = Date.now();
    try {
      await client.query(sql`select rowscope.set_managers($1)`.text,
        [JSON.stringify(managed.map((u) => ({ user_id: userId(u.db_role), manager_id: userId(u.manager!) })))]);
    } catch (error) {
      throw refusal(error, data, 'users', 0);
    }
    say(`  managers: ${managed.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  await step('teams', data.teams.length, () => sliced('teams', data.teams, async ([t]) => {
    const { rows: [row] } = await client.query<{ id: string }>(sql`select rowscope.create_team($1, $2, $3) as id`.text,
      [t!.name, bu(t!.business_unit), t!.team_type ?? 'owner']);
    names.teams.set(t!.name, row!.id);
  }));

  await step('memberships', data.memberships.length, () => sliced('memberships', data.memberships, async (slice) => {
    await client.query(sql`select rowscope.add_team_members($1)`.text,
      [JSON.stringify(slice.map((m) => ({ team_id: names.teams.get(m.team)!, user_id: userId(m.user) })))]);
  }));

  await step('roles', data.roles.length, () => sliced('roles', data.roles, async (slice) => {
    await client.query(sql`select rowscope.assign_roles($1)`.text, [JSON.stringify(slice.map((r) => ({
      principal_id: principal(r), role_name: r.role, inheritance: r.inheritance,
      business_unit_id: r.business_unit === undefined ? undefined : bu(r.business_unit),
    })))]);
  }));

  // per table, ordered by principal; a refusal still names the file's item
  const shares = data.shares.map((s, index) => ({ s, index, principal: principal(s) }));
  await step('shares', shares.length, async () => {
    const tables = [...new Set(shares.map((x) => x.s.table))].sort();
    let done = 0;
    for (const table of tables) {
      const of = shares.filter((x) => x.s.table === table).sort((a, b) => (a.principal < b.principal ? -1 : a.principal > b.principal ? 1 : a.index - b.index));
      for (let from = 0; from < of.length; from += SLICE.shares) {
        const slice = of.slice(from, from + SLICE.shares);
        try {
          await client.query(sql`select rowscope.grant_access_bulk($1, $2)`.text,
            [table, JSON.stringify(slice.map((x) => ({ record_id: x.s.record_id, principal_id: x.principal, rights: x.s.rights })))]);
        } catch (error) {
          const e = error as { message?: string };
          const m = /shares\[(\d+)\]/.exec(e.message ?? '');
          // the slice's item i is the file's item slice[i].index
          throw refusal(error, data, 'shares', m ? slice[Number(m[1])]!.index - Number(m[1]) : slice[0]!.index);
        }
        done += slice.length;
        if (shares.length > SLICE.shares) say(`  shares: ${done}/${shares.length}`);
      }
    }
  });
  const created = data.users.map((u) => userId(u.db_role));
  if (created.length > 0) {
    const started = Date.now();
    // The audit rows are chained now rather than by the commit (sql/200): the
    // logins' last GRANT (rowscope_user, sql/151 _create_logins) locks that
    // cluster-wide role until commit, and another database's migration or
    // create_user would wait for a commit that chains every row of the import.
    await client.query(sql`select rowscope.seal_audit()`.text);
    try {
      await client.query(sql`select rowscope.create_user_logins($1)`.text, [created]);
    } catch (error) {
      throw refusal(error, data, 'users', 0);
    }
    say(`  logins and access classes: ${created.length} users in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return stats;
}
