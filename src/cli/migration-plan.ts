// What `rowscope migrate --status` and `--down` need to know before running
// anything: which migrations are applied, which a down would revert, and what
// that down would delete. The down of an init migration drops the rowscope
// schema (src/emit/core.ts CORE_TEARDOWN) and with it every user, business unit,
// role assignment and audit row; a model-change down re-syncs the catalog to
// the previous model (src/emit/generate.ts migrationSql), which deletes the
// assignments of roles the previous model did not have. Rather than guess from
// the file names, the down is rehearsed: run inside a transaction that is
// rolled back, counting the rows of every security-data table before and after.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { withClient } from '../db/client.ts';
import { ident, lit, sql } from '../sql/index.ts';
import { CliError } from './errors.ts';

/** Security data that people and applications create (not derived from the model), with how to name it. */
const TRACKED: ReadonlyArray<{ table: string; one: string; many: string }> = [
  { table: 'system_user', one: 'user', many: 'users' },
  { table: 'business_unit', one: 'business unit', many: 'business units' },
  { table: 'team', one: 'team', many: 'teams' },
  { table: 'team_member', one: 'team membership', many: 'team memberships' },
  { table: 'position', one: 'position', many: 'positions' },
  { table: 'role_assignment', one: 'role assignment', many: 'role assignments' },
  { table: 'record_share', one: 'record share', many: 'record shares' },
  { table: 'field_profile_member', one: 'field security profile membership', many: 'field security profile memberships' },
  { table: 'field_share', one: 'field share', many: 'field shares' },
  { table: 'audit_log', one: 'audit row', many: 'audit rows' },
];

export interface Loss {
  table: string;
  rows: number;
  /** e.g. "15 users" */
  text: string;
}

/** The names node-pg-migrate recorded as run, in the order it ran them (as its runner reads them). */
export async function appliedMigrations(client: pg.Client): Promise<string[]> {
  const exists = await client.query<{ t: string | null }>(sql`select to_regclass('public.pgmigrations')::text as t`.text);
  if (!exists.rows[0]?.t) return [];
  const { rows } = await client.query<{ name: string }>(sql`select name from public.pgmigrations order by run_on, id`.text);
  return rows.map((r) => r.name);
}

/** The migration files of `dir` (names without .sql), in node-pg-migrate's order (numeric prefix). */
export function migrationFiles(dir: string): string[] {
  const prefix = (name: string) => Number(/^\d+/.exec(name)?.[0] ?? 0);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length))
    .sort((a, b) => prefix(a) - prefix(b) || a.localeCompare(b));
}

export interface StatusLine {
  name: string;
  state: 'applied' | 'pending' | 'applied (file missing)';
}

/** One entry per migration file, plus applied migrations whose file is gone. */
export async function migrationStatus(url: string, dir: string): Promise<StatusLine[]> {
  const files = migrationFiles(dir);
  const applied = await withClient(url, appliedMigrations);
  const done = new Set(applied);
  const lines: StatusLine[] = files.map((name) => ({ name, state: done.has(name) ? 'applied' : 'pending' }));
  for (const name of applied) if (!files.includes(name)) lines.push({ name, state: 'applied (file missing)' });
  return lines;
}

/** The Down section of a node-pg-migrate SQL migration (same markers as its sqlMigration loader). */
function downSql(content: string): string | undefined {
  const up = content.search(/^\s*--[\s-]*up\s+migration/im);
  const down = content.search(/^\s*--[\s-]*down\s+migration/im);
  if (down < 0) return undefined;
  return content.slice(down, up < down ? undefined : up);
}

async function counts(client: pg.Client): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const { table } of TRACKED) {
    const exists = await client.query<{ t: string | null }>(sql`select to_regclass(${lit(ident('rowscope', table).text)})::text as t`.text);
    if (!exists.rows[0]?.t) continue;
    const { rows } = await client.query<{ n: string }>(sql`select count(*) as n from ${ident('rowscope', table)}`.text);
    found.set(table, Number(rows[0]!.n));
  }
  return found;
}

export interface DownPlan {
  /** The migrations the down reverts, in the order it reverts them. */
  migrations: string[];
  losses: Loss[];
}

/**
 * Rehearses reverting the last `count` applied migrations of `dir` in one
 * transaction that is always rolled back, and reports the security data and
 * audit rows it would delete.
 */
export async function planDown(url: string, dir: string, count: number): Promise<DownPlan> {
  return withClient(url, async (client) => {
    const migrations = (await appliedMigrations(client)).slice(-count).reverse();
    const downs: string[] = [];
    for (const name of migrations) {
      let content: string;
      try {
        content = readFileSync(join(dir, `${name}.sql`), 'utf8');
      } catch {
        throw new CliError(`migration ${name} is applied but ${join(dir, `${name}.sql`)} is missing; cannot revert it`);
      }
      const down = downSql(content);
      if (down === undefined) throw new CliError(`migration ${name} has no "-- Down Migration" section; it cannot be reverted`);
      downs.push(down);
    }
    if (downs.length === 0) return { migrations, losses: [] };
    const before = await counts(client);
    await client.query(sql`begin`.text);
    let after: Map<string, number>;
    try {
      for (const down of downs) await client.query(down);
      after = await counts(client);
    } finally {
      await client.query(sql`rollback`.text).catch(() => {});
    }
    const losses: Loss[] = [];
    for (const { table, one, many } of TRACKED) {
      const lost = (before.get(table) ?? 0) - (after.get(table) ?? 0);
      if (lost > 0) losses.push({ table, rows: lost, text: `${lost.toLocaleString('en-US')} ${lost === 1 ? one : many}` });
    }
    return { migrations, losses };
  });
}
