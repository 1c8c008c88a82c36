// The decisions the differential tests compare: for one user, which rows of
// each table they see, and whether an UPDATE, DELETE or INSERT is allowed,
// refused (42501) or reaches nothing (invisible rows: 0 rows, no error); with
// secured columns, which values come back masked and whether writing them is
// allowed; with modernized BUs, inserts into other owning BUs; assigning
// accounts (the new owner must hold read); contacts read through the account
// they are under (reparent).
// `expected` asks the reference evaluator; `observe` asks the database, as the
// user, every attempt rolled back.
import type pg from 'pg';
import { fieldReasons, grantsOf, modeRefusal, widestDepth, type Organization, type Reference } from '../../../src/reference/index.ts';
import { storedValue, type Loaded } from './load.ts';

export type Outcome = 'allowed' | 'refused' | 'invisible' | `error ${string}`;

export interface Attempt {
  /** e.g. "update account a3", "insert account owned by t1" */
  label: string;
  sql: (lit: (v: string) => string) => string;
  expected: Outcome;
  why: string[];
}

/** The tables the differential models have, of account, product and contact. */
export const tablesOf = (org: Organization): string[] => ['account', 'product', 'contact'].filter((t) => t in org.tables);

/** What the reference says the user may do, as attempts to run against the database. */
export function attemptsFor(ref: Reference, org: Organization, userId: string, ids: Loaded['ids']): Attempt[] {
  const attempts: Attempt[] = [];
  for (const table of tablesOf(org)) {
    for (const r of org.records[table] ?? []) {
      for (const [verb, right] of [['update', 'write'], ['delete', 'delete']] as const) {
        const read = ref.decide(userId, table, 'read', r.id);
        const act = ref.decide(userId, table, right, r.id);
        const sql = verb === 'update'
          ? (lit: (v: string) => string) => `update api.${table} set name = name where id = ${lit(ids.get(r.id)!)}`
          : (lit: (v: string) => string) => `delete from api.${table} where id = ${lit(ids.get(r.id)!)}`;
        attempts.push({
          label: `${verb} ${table} ${r.id}`,
          sql,
          // readable but not changeable is a 42501 (docs/reference.md); unreadable: see unreadable()
          expected: !read.granted ? unreadable(org, userId, table, verb) : act.granted ? 'allowed' : 'refused',
          why: read.granted ? act.reasons : read.reasons,
        });
      }
    }
  }
  const me = org.users.find((u) => u.id === userId)!;
  // assign each account to one other enabled user or owner team (docs/security-model.md Assign)
  const newOwners = [...org.users.filter((u) => !u.disabled), ...org.teams.filter((t) => t.type === 'owner')].map((p) => p.id);
  (org.records.account ?? []).forEach((r, i) => {
    const candidates = newOwners.filter((o) => o !== r.ownerId);
    if (candidates.length === 0) return;
    const to = candidates[(i + userId.length) % candidates.length]!;
    const read = ref.decide(userId, 'account', 'read', r.id);
    const d = ref.canAssign(userId, 'account', r.id, to);
    attempts.push({
      label: `assign account ${r.id} to ${to}`,
      sql: (lit) => `update api.account set owner_id = ${lit(ids.get(to)!)} where id = ${lit(ids.get(r.id)!)}`,
      // an assign is an UPDATE of owner_id: refused by the table privilege like any update
      expected: !read.granted ? unreadable(org, userId, 'account', 'update') : d.granted ? 'allowed' : 'refused',
      why: read.granted ? d.reasons : read.reasons,
    });
  });
  // owner_id defaults to the user; any enabled user or owner team may be named as owner
  const owners = [
    { id: null, ownerId: me.id, bu: me.businessUnitId },
    ...org.users.filter((u) => u.id !== me.id && !u.disabled).map((u) => ({ id: u.id, ownerId: u.id, bu: u.businessUnitId })),
    ...org.teams.filter((t) => t.type === 'owner').map((t) => ({ id: t.id, ownerId: t.id, bu: t.businessUnitId })),
  ];
  for (const o of owners) {
    const d = ref.canCreate(userId, 'account', o.ownerId, o.bu);
    attempts.push({
      label: o.id ? `insert account owned by ${o.id}` : 'insert account (owner defaults to the user)',
      sql: (lit) => (o.id ? `insert into api.account (name, owner_id) values ('new', ${lit(ids.get(o.id)!)})` : `insert into api.account (name) values ('new')`),
      expected: d.granted ? 'allowed' : 'refused',
      why: d.reasons,
    });
  }
  if (org.ownershipAcrossBusinessUnits) {
    // the owner defaults to the user; the owning BU is any BU (docs/security-model.md modernized business units)
    for (const bu of org.businessUnits) {
      const d = ref.canCreate(userId, 'account', me.id, bu.id);
      attempts.push({
        label: `insert account in BU ${bu.id}`,
        sql: (lit) => `insert into api.account (name, owning_business_unit) values ('new', ${lit(ids.get(bu.id)!)})`,
        expected: d.granted ? 'allowed' : 'refused',
        why: d.reasons,
      });
    }
  }
  for (const column of securedColumns(org)) attempts.push(...fieldWrites(ref, org, userId, ids, column));
  const p = ref.canCreate(userId, 'product', null, null);
  attempts.push({ label: 'insert product', sql: () => `insert into api.product (name) values ('new')`, expected: p.granted ? 'allowed' : 'refused', why: p.reasons });
  return attempts;
}

/**
 * An UPDATE / DELETE of a row the user cannot read: rows the user cannot read
 * are simply absent (docs/reference.md), but a user who may not update / delete
 * anything of the table holds no table-level UPDATE / DELETE (sql/050
 * _bind_table_roles), so PostgreSQL refuses the statement even when it reaches
 * no row, except an UPDATE through a view with a field writer (secured
 * columns): the writer runs as the definer for the rows the user can read.
 */
function unreadable(org: Organization, userId: string, table: string, verb: 'update' | 'delete'): Outcome {
  if (verb === 'update' && table === 'account' && securedColumns(org).length > 0) return 'invisible';
  return holdsTablePrivilege(org, userId, table, verb) ? 'invisible' : 'refused';
}

/** Whether the user may update (write or assign) / delete at all on the table: then its login holds the table privilege. */
function holdsTablePrivilege(org: Organization, userId: string, table: string, verb: 'update' | 'delete'): boolean {
  const user = org.users.find((u) => u.id === userId)!;
  const privileges = verb === 'update' ? (['write', 'assign'] as const) : (['delete'] as const);
  return privileges.some((p) => modeRefusal(user, p) === null && widestDepth(grantsOf(org, user, table, p)) !== 'none');
}

/** account's secured columns (the only table of the differential models that has any). */
export const securedColumns = (org: Organization): string[] => org.tables.account?.securedColumns ?? [];

/**
 * Writing a secured column: an UPDATE needs write on the record and update on
 * the column; an INSERT needs create on the table and create on the column.
 */
function fieldWrites(ref: Reference, org: Organization, userId: string, ids: Loaded['ids'], column: string): Attempt[] {
  const attempts: Attempt[] = [];
  for (const r of org.records.account ?? []) {
    const read = ref.decide(userId, 'account', 'read', r.id);
    const d = ref.field(userId, 'account', column, r.id, 'update');
    attempts.push({
      label: `update account ${r.id} set ${column}`,
      sql: (lit) => `update api.account set ${column} = 7 where id = ${lit(ids.get(r.id)!)}`,
      expected: !read.granted ? 'invisible' : d.granted ? 'allowed' : 'refused',
      why: read.granted ? d.reasons : read.reasons,
    });
  }
  const me = org.users.find((u) => u.id === userId)!;
  const row = ref.canCreate(userId, 'account', me.id, me.businessUnitId);
  const field = fieldReasons(org, userId, 'account', column, null, 'create');
  attempts.push({
    label: `insert account with ${column}`,
    sql: () => `insert into api.account (name, ${column}) values ('new', 7)`,
    expected: row.granted && field.length > 0 ? 'allowed' : 'refused',
    why: !row.granted ? row.reasons : field.length ? field : [`nothing gives create on account.${column}`],
  });
  return attempts;
}

/** For each record and secured column: what the reference says the user reads (null: masked). */
export function expectedFields(ref: Reference, org: Organization, userId: string, visible: string[]): Record<string, Record<string, string | null>> {
  return Object.fromEntries(visible.map((r) => [r, Object.fromEntries(securedColumns(org).map((col) => [col, ref.field(userId, 'account', col, r, 'read').granted ? storedValue(r, col) : null]))]));
}

export interface Observed {
  /** table -> ids read through the api view */
  visible: Record<string, string[]>;
  /** account record → secured column → value read through api.account */
  fields: Record<string, Record<string, string | null>>;
  outcomes: Outcome[];
}

/** Runs everything as the user in one rolled-back transaction, each attempt undone by a savepoint. */
export async function observe(c: pg.PoolClient, role: string, attempts: Attempt[], symbols: Map<string, string>, secured: string[] = [], tables: string[] = ['account', 'product']): Promise<Observed> {
  const lit = (v: string) => c.escapeLiteral(v);
  await c.query('begin');
  try {
    await c.query(`select set_config('role', $1, true)`, [role]);
    const visible: Observed['visible'] = {};
    for (const table of tables) {
      const { rows } = await c.query<{ id: string }>(`select id from api.${table}`);
      visible[table] = rows.map((r) => symbols.get(r.id) ?? r.id).sort();
      // the data table is filtered by the same policies (docs/reference.md)
      const direct = await c.query<{ id: string }>(`select id from app.${table}`);
      const directIds = direct.rows.map((r) => symbols.get(r.id) ?? r.id).sort();
      if (directIds.join() !== visible[table].join()) visible[table].push(`(app.${table} gives ${directIds.join(', ') || 'nothing'})`);
    }
    const fields: Observed['fields'] = {};
    if (secured.length) {
      const { rows } = await c.query<Record<string, string | null>>(`select id, ${secured.join(', ')} from api.account`);
      for (const row of rows) fields[symbols.get(row.id!) ?? row.id!] = Object.fromEntries(secured.map((col) => [col, row[col] ?? null]));
    }
    await c.query('savepoint attempt');
    const outcomes: Outcome[] = [];
    for (const a of attempts) {
      // one round trip: undo the previous attempt, then run this one
      try {
        const res = (await c.query(`rollback to savepoint attempt; ${a.sql(lit)}`)) as unknown as pg.QueryResult[];
        outcomes.push(res.at(-1)!.rowCount === 0 ? 'invisible' : 'allowed');
      } catch (e) {
        const err = e as { code?: string; message: string };
        outcomes.push(err.code === '42501' ? 'refused' : `error ${err.code}: ${err.message}`);
      }
    }
    return { visible, fields, outcomes };
  } finally {
    await c.query('rollback');
  }
}

/**
 * Every right of every user on every record, as rowscope.check_access reports
 * it to the deployment administrator (one statement): covers the rights no
 * statement above exercises (append, append_to, assign, share). Keyed
 * "user table record" → rights in the order check_access returns them
 * (`RIGHTS` of src/model/types.ts, `_record_rights` of sql/100_records.sql).
 */
export async function observeRights(c: pg.PoolClient, org: Organization, ids: Loaded['ids']): Promise<Map<string, string[]>> {
  const symbols = new Map([...ids].map(([sym, uuid]) => [uuid, sym]));
  const records = tablesOf(org).flatMap((table) => (org.records[table] ?? []).map((r) => [table, ids.get(r.id)!]));
  const { rows } = await c.query<{ u: string; t: string; r: string; rights: string[] }>(
    `select u, x.t, x.r, rowscope.check_access(x.t, x.r, u) as rights
       from unnest($1::uuid[]) u cross join unnest($2::text[], $3::uuid[]) x(t, r)`,
    [org.users.map((u) => ids.get(u.id)!), records.map(([t]) => t), records.map(([, r]) => r)],
  );
  return new Map(rows.map((row) => [`${symbols.get(row.u)} ${row.t} ${symbols.get(row.r)}`, row.rights]));
}
