// The catalog lints of `rowscope doctor` (docs/reference.md, docs/architecture.md): each checks one
// rule a secured database must keep and reports every offending object with a
// remedy, as plain SQL over the system catalogs and the rowscope catalog
// (in the spirit of supabase/splinter). The lints live in ./lints/, one file
// per group; this file runs them in order. Run as the deployment administrator.
import type pg from 'pg';
import type { Context, Finding, Level, Lint } from './context.ts';
import { ACCESS_CLASS_LINTS } from './lints/access-classes.ts';
import { AUTHENTICATOR_LINTS } from './lints/authenticator.ts';
import { CLOSURE_LINTS } from './lints/closures.ts';
import { CVE_LINTS } from './lints/cves.ts';
import { DATABASE_COPY_LINTS } from './lints/database-copies.ts';
import { DEFINER_LINTS } from './lints/definers.ts';
import { POLICY_LINTS } from './lints/policies.ts';
import { PRIVILEGE_LINTS } from './lints/privileges.ts';
import { TABLE_LINTS } from './lints/tables.ts';
import { SESSION_DEFAULT_LINTS } from './lints/session-defaults.ts';
import { USER_ROLE_LINTS } from './lints/user-roles.ts';
import { userRoles } from './user-roles.ts';

export type { Finding, Level, Lint } from './context.ts';

export const LINTS: Lint[] = [
  ...TABLE_LINTS,
  ...POLICY_LINTS,
  ...USER_ROLE_LINTS,
  ...SESSION_DEFAULT_LINTS,
  ...PRIVILEGE_LINTS,
  ...DEFINER_LINTS,
  ...ACCESS_CLASS_LINTS,
  ...DATABASE_COPY_LINTS,
  ...AUTHENTICATOR_LINTS,
  ...CLOSURE_LINTS,
  ...CVE_LINTS,
];

export interface DoctorReport {
  ok: boolean;
  errors: number;
  warnings: number;
  checks: { name: string; level: Level; rule: string; passed: boolean }[];
  findings: Finding[];
}

export interface DoctorOptions {
  /** judge the CVE lints by this server_version_num instead of the server's (tests) */
  serverVersionNum?: number;
}

/** Thrown when the database has no rowscope schema to check. */
export class NotSecured extends Error {}

export async function runDoctor(client: pg.Client, opts: DoctorOptions = {}): Promise<DoctorReport> {
  // JIT off while the lints run, then as it was: the closure of user
  // memberships (context.ts USER_REACH) is estimated at ten times its base
  // rows, so with thousands of users a catalog query of a millisecond crossed
  // jit_above_cost and spent ~0.8 s compiling (PostgreSQL 15 with LLVM).
  const { rows: [jit] } = await client.query<{ value: string }>("select current_setting('jit') as value");
  await client.query("select set_config('jit', 'off', false)");
  try {
    return await runLints(client, opts);
  } finally {
    await client.query("select set_config('jit', $1, false)", [jit!.value]).catch(() => {});
  }
}

async function runLints(client: pg.Client, opts: DoctorOptions): Promise<DoctorReport> {
  const { rows: ready } = await client.query<{ ok: boolean }>("select to_regclass('rowscope.secured_table') is not null as ok");
  if (!ready[0]?.ok) throw new NotSecured('this database has no rowscope schema; run `rowscope migrate` first');
  const users = await userRoles(client);
  const { rows: schemaRows } = await client.query<{ name: string; data: boolean }>(`
    select data_schema as name, true as data from rowscope.secured_table
    union select api_schema, false from rowscope.secured_table
    union select 'rowscope', false order by 1`);
  const { rows: version } = await client.query<{ v: number }>("select current_setting('server_version_num')::int as v");
  const serverVersion = version[0]!.v;
  const ctx: Context = {
    client,
    serverVersion,
    cveVersion: opts.serverVersionNum ?? serverVersion,
    users,
    userOids: users.filter((u) => !u.superuser).map((u) => u.oid),
    schemas: [...new Set(schemaRows.map((r) => r.name))],
    dataSchemas: [...new Set(schemaRows.filter((r) => r.data).map((r) => r.name))],
  };
  const findings: Finding[] = [];
  const checks: DoctorReport['checks'] = [];
  for (const lint of LINTS) {
    const found = (await lint.run(ctx)).map((f) => ({ lint: lint.name, level: lint.level, ...f }));
    findings.push(...found);
    checks.push({ name: lint.name, level: lint.level, rule: lint.rule, passed: found.length === 0 });
  }
  const errors = findings.filter((f) => f.level === 'error').length;
  return { ok: errors === 0, errors, warnings: findings.length - errors, checks, findings };
}
