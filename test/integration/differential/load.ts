// Puts a generated organization into the differential test's database through
// the SQL API, as the deployment administrator (superuser), after wiping the
// previous one. Shares are inserted into rowscope.record_share directly; field
// shares go through rowscope.share_field. Every account stores a non-null
// value in each secured column (storedValue), so NULL through the api view
// means masked.
// Users' LOGIN roles are cluster-wide: they come from a small pool named
// <tag>_u<n>, reused by every organization of the file (create_user creates the
// role only when missing and re-derives its classes).
import pg from 'pg';
import type { Organization } from '../../../src/reference/index.ts';

export interface Loaded {
  /** symbolic id → uuid */
  ids: Map<string, string>;
  /** symbolic user id → its login role */
  roles: Map<string, string>;
}

// Everything an organization consists of; cascades to what references principals and BUs.
// The hierarchy closures and the parent owners' reads reference nothing, so they are named too.
const wipe = (org: Organization) => `truncate rowscope.principal, rowscope.business_unit, rowscope.bu_closure, rowscope.position,
  rowscope.manager_closure, rowscope.position_closure, rowscope.parent_owner_read, app.account, app.product${'contact' in org.tables ? ', app.contact' : ''} cascade`;

/** Users per organization at most (org-arbitrary.ts): the pool's roles are <tag>_u0 … <tag>_u5. */
export const POOL_SIZE = 6;

/** Drops a file's pool of login roles at its end: they are cluster-wide, so nothing may be left behind. */
export async function dropLoginPool(adminUrl: string, tag: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (let i = 0; i < POOL_SIZE; i++) await admin.query(`drop role if exists ${tag}_u${i}`).catch(() => {});
  } finally {
    await admin.end();
  }
}

export const LOAD_PHASES = ['members', 'roles', 'records', 'modes', 'hierarchy', 'profiles'] as const;

/** What account `record` stores in `column` (revenue, credit_limit): numeric, as pg returns it. */
export function storedValue(record: string, column: string): string {
  return String((column === 'credit_limit' ? 2000 : 1000) + Number(record.replace(/\D/g, '')));
}
export type LoadPhase = (typeof LOAD_PHASES)[number];

export async function loadOrganization(c: pg.PoolClient, org: Organization, tag: string, order: readonly LoadPhase[] = LOAD_PHASES): Promise<Loaded> {
  const ids = new Map<string, string>();
  const roles = new Map<string, string>();
  const id = (sym: string) => ids.get(sym) ?? (() => { throw new Error(`not loaded: ${sym}`); })();
  const one = async (text: string, values: unknown[]) => Object.values((await c.query(text, values)).rows[0] ?? {})[0] as string;

  await c.query(wipe(org));
  // account's own hierarchy depth (model option tables.account.hierarchyDepth) as the organization has it
  await c.query(`update rowscope.secured_table set hierarchy_depth = $1 where name = 'account'`, [org.tables.account?.hierarchyDepth ?? null]);
  for (const bu of org.businessUnits) {
    ids.set(bu.id, await one('select rowscope.create_business_unit($1, $2)', [bu.id, bu.parentId === null ? null : id(bu.parentId)]));
  }
  // each BU comes with its default team; create_user makes the BU's users its members
  for (const t of org.teams.filter((x) => x.isDefault)) {
    ids.set(t.id, await one('select id from rowscope.team where business_unit_id = $1 and is_default', [id(t.businessUnitId)]));
  }
  for (const u of org.users) {
    roles.set(u.id, `${tag}_${u.id}`);
    ids.set(u.id, await one('select rowscope.create_user($1, $2)', [`${tag}_${u.id}`, id(u.businessUnitId)]));
  }
  for (const t of org.teams.filter((x) => !x.isDefault)) ids.set(t.id, await one('select rowscope.create_team($1, $2, $3)', [t.id, id(t.businessUnitId), t.type]));
  // parents come first in the list
  for (const p of org.positions ?? []) ids.set(p.id, await one('select rowscope.create_position($1, $2)', [p.id, p.parentId && id(p.parentId)]));
  // the order security data arrives in must not matter: each change re-derives access classes
  const phases: Record<LoadPhase, () => Promise<void>> = {
    members: async () => {
      for (const t of org.teams.filter((x) => !x.isDefault)) for (const m of t.members) await c.query('select rowscope.add_team_member($1, $2)', [id(t.id), id(m)]);
    },
    roles: async () => {
      for (const a of org.assignments) {
        await c.query('select rowscope.assign_role($1, $2, $3, $4)', [id(a.principalId), a.role, a.businessUnitId && id(a.businessUnitId), a.inheritance]);
      }
    },
    records: async () => {
      for (const r of org.records.account ?? []) {
        // owning_business_unit differs from the owner's only with ownershipAcrossBusinessUnits
        ids.set(r.id, await one('insert into app.account (name, owner_id, owning_business_unit, revenue, credit_limit) values ($1, $2, $3, $4, $5) returning id',
          [r.id, id(r.ownerId!), id(r.owningBusinessUnitId!), storedValue(r.id, 'revenue'), storedValue(r.id, 'credit_limit')]));
      }
      for (const r of org.records.contact ?? []) {
        const parent = r.parents?.account_id;
        ids.set(r.id, await one('insert into app.contact (name, owner_id, account_id) values ($1, $2, $3) returning id', [r.id, id(r.ownerId!), parent ? id(parent) : null]));
      }
      for (const r of org.records.product ?? []) ids.set(r.id, await one('insert into app.product (name) values ($1) returning id', [r.id]));
      for (const s of org.shares) {
        await c.query('insert into rowscope.record_share (table_name, record_id, principal_id, rights) values ($1, $2, $3, $4)',
          [s.table, id(s.recordId), id(s.principalId), s.rights]);
      }
      for (const f of org.fieldShares ?? []) {
        await c.query('select rowscope.share_field($1, $2, $3, $4, $5, $6)', [f.table, id(f.recordId), f.column, id(f.principalId), f.canRead, f.canUpdate]);
      }
    },
    modes: async () => {
      for (const u of org.users) if (u.accessMode !== 'read_write') await c.query('select rowscope.set_access_mode($1, $2)', [id(u.id), u.accessMode]);
    },
    hierarchy: async () => {
      for (const u of org.users) {
        if (u.managerId) await c.query('select rowscope.set_manager($1, $2)', [id(u.id), id(u.managerId)]);
        if (u.positionId) await c.query('select rowscope.set_position($1, $2)', [id(u.id), id(u.positionId)]);
      }
    },
    profiles: async () => {
      for (const m of org.profileMembers ?? []) await c.query('select rowscope.add_profile_member($1, $2)', [m.profile, id(m.principalId)]);
    },
  };
  for (const phase of order) await phases[phase]();
  // last: records must be owned by enabled users when they are inserted
  for (const u of org.users) if (u.disabled) await c.query('select rowscope.disable_user($1)', [id(u.id)]);
  return { ids, roles };
}
