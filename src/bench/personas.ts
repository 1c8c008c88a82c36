// The six personas of SPEC §8 (made by src/bench/load.ts), their access sets as
// rowscope computes them (what the physical limit inlines), and the records
// each one reads and writes in the benchmark.
import type pg from 'pg';

export interface Persona {
  key: 'org' | 'bu' | 'deep' | 'user' | 'manager' | 'none';
  label: string;
}

/** The personas; each one's LOGIN role is `<rolePrefix><key>` (src/bench/load.ts). */
export const PERSONAS: Persona[] = [
  { key: 'org', label: 'organization reader' },
  { key: 'bu', label: 'business_unit reader' },
  { key: 'deep', label: 'parent_child reader' },
  { key: 'user', label: 'user depth, 500 shares, 5 teams' },
  { key: 'manager', label: 'manager of 50 (hierarchy)' },
  { key: 'none', label: 'no privilege' },
];

/** A persona's read access set on one table: org flag, owners, owning BUs, shared records. */
export interface AccessSet {
  org: boolean;
  owners: string[];
  bus: string[];
  records: string[];
}

export interface PersonaFacts {
  persona: Persona;
  role: string;
  id: string;
  sets: { account: AccessSet; contact: AccessSet };
  /** the access class per table (org, bu, ...; for the report: the roles' names are per database) */
  classes: Record<string, string>;
  /** an account the persona reads but does not own (any account for `none`) */
  pointId: string;
  /** an account the persona owns (null for `none`) */
  ownId: string | null;
  /** the session settings a login of this persona gets (ALTER ROLE ... SET) */
  settings: [string, string][];
}

async function accessSet(client: pg.ClientBase, role: string, table: string): Promise<AccessSet> {
  await client.query('begin');
  try {
    await client.query("select set_config('role', $1, true)", [role]);
    const { rows } = await client.query<{ org: boolean; owners: string[]; bus: string[]; records: string[] }>(
      `select rowscope.scope_org($1, 'read') as org, rowscope.scope_owners($1, 'read')::text[] as owners,
              rowscope.scope_bus($1, 'read')::text[] as bus, rowscope.scope_records($1, 'read')::text[] as records`, [table]);
    return rows[0]!;
  } finally {
    await client.query('rollback');
  }
}

/** The arms of an access set as a predicate over `alias`, for the superuser's hand-written query. */
export function arms(set: AccessSet): { column: string; values: string[] }[] {
  if (set.org) return [];
  return [
    { column: 'owner_id', values: set.owners },
    { column: 'owning_business_unit', values: set.bus },
    { column: 'id', values: set.records },
  ].filter((a) => a.values.length > 0);
}

export async function personaFacts(client: pg.ClientBase, persona: Persona, prefix: string): Promise<PersonaFacts> {
  const role = `${prefix}${persona.key}`;
  const { rows: [me] } = await client.query<{ id: string; oid: number }>(
    `select u.id, r.oid::int as oid from rowscope.system_user u join pg_roles r on r.rolname = u.db_role where u.db_role = $1`, [role]);
  if (!me) throw new Error(`rowscope bench: persona ${role} is missing from the bench database`);
  const account = await accessSet(client, role, 'account');
  const contact = await accessSet(client, role, 'contact');
  // the widest arm that reaches beyond the persona's own records
  const candidates: [string, unknown[]][] = [
    ['id = any ($2::uuid[])', [account.records]],
    ['owning_business_unit = any ($2::uuid[])', [account.bus]],
    ['owner_id = any ($2::uuid[])', [account.owners]],
  ];
  let pointId: string | undefined;
  if (account.org) {
    pointId = (await client.query<{ id: string }>(`select id from app.account where owner_id <> $1 order by id limit 1`, [me.id])).rows[0]?.id;
  }
  for (const [predicate, values] of candidates) {
    if (pointId) break;
    pointId = (await client.query<{ id: string }>(
      `select id from app.account where owner_id <> $1 and ${predicate} order by id limit 1`, [me.id, ...values])).rows[0]?.id;
  }
  pointId ??= (await client.query<{ id: string }>('select id from app.account order by id limit 1')).rows[0]!.id;
  const ownId = (await client.query<{ id: string }>('select id from app.account where owner_id = $1 order by id limit 1', [me.id])).rows[0]?.id ?? null;
  const { rows: classes } = await client.query<{ t: string; role: string }>( // role: the class
    `select st.name as t, c.key as role from rowscope.secured_table st cross join jsonb_each_text(st.class_roles) c
     where pg_has_role($1::name, c.value, 'member') order by st.name`, [role]);
  const { rows: settings } = await client.query<{ s: string }>(
    `select unnest(setconfig) as s from pg_db_role_setting
     where setrole = $1 and setdatabase in (0, (select oid from pg_database where datname = current_database()))
     order by setdatabase`, [me.oid]);
  return {
    persona,
    role,
    id: me.id,
    sets: { account, contact },
    classes: Object.fromEntries(classes.map((c) => [c.t, c.role])),
    pointId,
    ownId: persona.key === 'none' ? null : ownId,
    settings: settings.map((s) => {
      const at = s.s.indexOf('=');
      return [s.s.slice(0, at), s.s.slice(at + 1)] as [string, string];
    }),
  };
}
