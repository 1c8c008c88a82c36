// The admin-surface property test's side of the database: loads a generated
// organization inside the caller's open transaction (as the deployment
// administrator; the transaction is rolled back after the sequence, login
// roles included), and reads the security data back as lines comparable with
// the reference organization's.
import type pg from 'pg';
import { RIGHTS } from '../../../../src/model/types.ts';
import type { AdminOrganization } from '../../../../src/reference/index.ts';

/** Symbolic id ⇄ uuid, and each user's login. */
export class Ids {
  readonly uuid = new Map<string, string>();
  readonly symbol = new Map<string, string>();
  readonly login = new Map<string, string>();
  set(sym: string, id: string): void {
    this.uuid.set(sym, id);
    this.symbol.set(id, sym);
  }
  of(sym: string): string {
    const id = this.uuid.get(sym);
    if (!id) throw new Error(`not loaded: ${sym}`);
    return id;
  }
  opt(sym: string | null): string | null {
    return sym === null ? null : this.of(sym);
  }
  clone(): Ids {
    const copy = new Ids();
    for (const [sym, id] of this.uuid) copy.set(sym, id);
    for (const [sym, login] of this.login) copy.login.set(sym, login);
    return copy;
  }
  sym(id: string | null): string {
    return id === null ? '-' : (this.symbol.get(id) ?? `?${id}`);
  }
}

const value = (column: string, record: string) => String((column === 'credit_limit' ? 2000 : 1000) + Number(record.replace(/\D/g, '')));

export async function loadOrganization(c: pg.PoolClient, org: AdminOrganization, tag: string): Promise<Ids> {
  const ids = new Ids();
  const one = async (text: string, values: unknown[]) => Object.values((await c.query(text, values)).rows[0] ?? {})[0] as string;
  for (const bu of org.businessUnits) ids.set(bu.id, await one('select rowscope.create_business_unit($1, $2)', [bu.id, ids.opt(bu.parentId)]));
  for (const u of org.users) {
    ids.login.set(u.id, `${tag}_${u.id}`);
    ids.set(u.id, await one('select rowscope.create_user($1, $2)', [`${tag}_${u.id}`, ids.of(u.businessUnitId)]));
  }
  for (const t of org.teams) ids.set(t.id, await one('select rowscope.create_team($1, $2, $3)', [t.id, ids.of(t.businessUnitId), t.type]));
  for (const p of org.positions ?? []) ids.set(p.id, await one('select rowscope.create_position($1, $2)', [p.id, ids.opt(p.parentId)]));
  for (const t of org.teams) for (const m of t.members) await c.query('select rowscope.add_team_member($1, $2)', [ids.of(t.id), ids.of(m)]);
  for (const a of org.assignments) {
    await c.query('select rowscope.assign_role($1, $2, $3, $4)', [ids.of(a.principalId), a.role, ids.opt(a.businessUnitId), a.inheritance]);
  }
  for (const r of org.records.account ?? []) {
    ids.set(r.id, await one('insert into app.account (name, owner_id, owning_business_unit, revenue, credit_limit) values ($1, $2, $3, $4, $5) returning id',
      [r.id, ids.of(r.ownerId!), ids.of(r.owningBusinessUnitId!), value('revenue', r.id), value('credit_limit', r.id)]));
  }
  for (const r of org.records.product ?? []) ids.set(r.id, await one('insert into app.product (name) values ($1) returning id', [r.id]));
  // contacts before the shares: a child created under a shared parent inherits its cascading shares
  for (const l of org.links) {
    const r = org.records.contact!.find((x) => x.id === l.recordId)!;
    ids.set(r.id, await one('insert into app.contact (name, owner_id, owning_business_unit, account_id) values ($1, $2, $3, $4) returning id',
      [r.id, ids.of(r.ownerId!), ids.of(r.owningBusinessUnitId!), ids.of(l.parentId)]));
  }
  for (const s of org.shares) {
    await c.query('insert into rowscope.record_share (table_name, record_id, principal_id, rights) values ($1, $2, $3, $4)', [s.table, ids.of(s.recordId), ids.of(s.principalId), s.rights]);
  }
  for (const f of org.fieldShares ?? []) {
    await c.query('select rowscope.share_field($1, $2, $3, $4, $5, $6)', [f.table, ids.of(f.recordId), f.column, ids.of(f.principalId), f.canRead, f.canUpdate]);
  }
  for (const m of org.profileMembers ?? []) await c.query('select rowscope.add_profile_member($1, $2)', [m.profile, ids.of(m.principalId)]);
  for (const u of org.users) {
    if (u.accessMode !== 'read_write') await c.query('select rowscope.set_access_mode($1, $2)', [ids.of(u.id), u.accessMode]);
    if (u.managerId) await c.query('select rowscope.set_manager($1, $2)', [ids.of(u.id), ids.of(u.managerId)]);
  }
  // last: records are inserted while their owners are enabled
  for (const u of org.users) if (u.disabled) await c.query('select rowscope.disable_user($1)', [ids.of(u.id)]);
  return ids;
}

const rightsText = (rights: readonly string[]) => RIGHTS.filter((r) => rights.includes(r)).join(',');

/** The security data of the reference organization, one sorted line per fact. */
export function referenceLines(org: AdminOrganization): string[] {
  const lines: string[] = [];
  for (const b of org.businessUnits) lines.push(`bu ${b.id} under ${b.parentId ?? '-'}`);
  for (const u of org.users) lines.push(`user ${u.id} in ${u.businessUnitId} manager ${u.managerId ?? '-'} position ${u.positionId ?? '-'} ${u.accessMode}${u.disabled ? ' disabled' : ''}`);
  for (const t of org.teams) {
    const rt = org.recordTeams.find((r) => r.teamId === t.id);
    lines.push(`team ${t.id} in ${t.businessUnitId} ${t.type}${rt ? ` for ${rt.table} ${rt.recordId} ${rt.template}` : ''}`);
    for (const m of t.members) lines.push(`member ${t.id} ${m}`);
  }
  for (const p of org.positions ?? []) lines.push(`position ${p.id} under ${p.parentId ?? '-'}`);
  for (const a of org.assignments) lines.push(`role ${a.principalId} ${a.role} in ${a.businessUnitId ?? '-'} ${a.inheritance}`);
  for (const s of org.shares) lines.push(`share ${s.table} ${s.recordId} ${s.principalId} ${rightsText(s.rights)}${s.inheritedFrom ? ` from ${s.inheritedFrom.table} ${s.inheritedFrom.recordId}` : ''}`);
  for (const m of org.profileMembers ?? []) lines.push(`profile ${m.profile} ${m.principalId}`);
  for (const f of org.fieldShares ?? []) lines.push(`field ${f.table} ${f.recordId} ${f.column} ${f.principalId}${f.canRead ? ' read' : ''}${f.canUpdate ? ' update' : ''}`);
  for (const [table, rows] of Object.entries(org.records)) {
    for (const r of rows) if (r.ownerId) lines.push(`record ${table} ${r.id} owner ${r.ownerId} in ${r.owningBusinessUnitId}`);
  }
  return lines.sort();
}

/** The same lines from the database (as the deployment administrator). */
export async function databaseLines(c: pg.PoolClient, ids: Ids): Promise<string[]> {
  const { rows } = await c.query<{ l: unknown[] }>(`
    select jsonb_build_array('bu', id, parent_id) as l from rowscope.business_unit
    union all select jsonb_build_array('user', id, business_unit_id, manager_id, position_id, access_mode, is_disabled) from rowscope.system_user
    union all select jsonb_build_array('team', id, business_unit_id, team_type, record_table, record_id, template) from rowscope.team
    union all select jsonb_build_array('member', team_id, user_id) from rowscope.team_member
    union all select jsonb_build_array('position', id, parent_id) from rowscope.position
    union all select jsonb_build_array('role', a.principal_id, r.name, a.business_unit_id, a.inheritance)
      from rowscope.role_assignment a join rowscope.security_role r on r.id = a.role_id
    union all select jsonb_build_array('share', table_name, record_id, principal_id, rights, inherited_from_table, inherited_from_record) from rowscope.record_share
    union all select jsonb_build_array('profile', p.name, m.principal_id)
      from rowscope.field_profile_member m join rowscope.field_security_profile p on p.id = m.profile_id
    union all select jsonb_build_array('field', table_name, record_id, column_name, principal_id, can_read, can_update) from rowscope.field_share
    union all select jsonb_build_array('record', 'account', id, owner_id, owning_business_unit) from app.account
    union all select jsonb_build_array('record', 'contact', id, owner_id, owning_business_unit) from app.contact`);
  const s = (v: unknown) => ids.sym((v as string | null) ?? null);
  return rows.map(({ l }) => {
    const [kind, ...f] = l as [string, ...unknown[]];
    switch (kind) {
      case 'bu': return `bu ${s(f[0])} under ${s(f[1])}`;
      case 'user': return `user ${s(f[0])} in ${s(f[1])} manager ${s(f[2])} position ${s(f[3])} ${f[4]}${f[5] ? ' disabled' : ''}`;
      case 'team': return `team ${s(f[0])} in ${s(f[1])} ${f[2]}${f[3] ? ` for ${f[3]} ${s(f[4])} ${f[5]}` : ''}`;
      case 'member': return `member ${s(f[0])} ${s(f[1])}`;
      case 'position': return `position ${s(f[0])} under ${s(f[1])}`;
      case 'role': return `role ${s(f[0])} ${f[1]} in ${s(f[2])} ${f[3]}`;
      case 'share': return `share ${f[0]} ${s(f[1])} ${s(f[2])} ${rightsText(f[3] as string[])}${f[4] ? ` from ${f[4]} ${s(f[5])}` : ''}`;
      case 'profile': return `profile ${f[0]} ${s(f[1])}`;
      case 'field': return `field ${f[0]} ${s(f[1])} ${f[2]} ${s(f[3])}${f[4] ? ' read' : ''}${f[5] ? ' update' : ''}`;
      default: return `record ${f[0]} ${s(f[1])} owner ${s(f[2])} in ${s(f[3])}`;
    }
  }).sort();
}

/** Lines only one side has, marked `db` or `ref`. */
export function lineDiff(db: string[], ref: string[]): string[] {
  const a = new Set(db);
  const b = new Set(ref);
  return [...db.filter((l) => !b.has(l)).map((l) => `db  ${l}`), ...ref.filter((l) => !a.has(l)).map((l) => `ref ${l}`)];
}
