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
  // one statement per kind of fact (round trips are what loading costs); each function call still runs alone
  const named = async (text: string, values: unknown[]) => {
    for (const row of (await c.query<{ name: string; id: string }>(text, values)).rows) ids.set(row.name, row.id);
  };
  // account's own hierarchy depth (model option tables.account.hierarchyDepth, which the
  // generated organization may set) before anything is derived from it, as
  // test/integration/differential/load.ts does; rolled back with the sequence
  await c.query(`update rowscope.secured_table set hierarchy_depth = $1 where name = 'account'`, [org.tables.account?.hierarchyDepth ?? null]);
  for (const bu of org.businessUnits) await named('select $1::text as name, rowscope.create_business_unit($1, $2) as id', [bu.id, ids.opt(bu.parentId)]);
  // each BU comes with its default team (sql/074); create_user makes the BU's users its members
  const defaults = org.teams.filter((t) => t.isDefault);
  const { rows: made } = await c.query<{ bu: string; id: string }>('select business_unit_id as bu, id from rowscope.team where is_default and business_unit_id = any ($1::uuid[])',
    [defaults.map((t) => ids.of(t.businessUnitId))]);
  for (const t of defaults) ids.set(t.id, made.find((r) => r.bu === ids.of(t.businessUnitId))!.id);
  for (const u of org.users) ids.login.set(u.id, `${tag}_${u.id}`);
  await named('select x.name, rowscope.create_user($3 || \'_\' || x.name, x.bu) as id from unnest($1::text[], $2::uuid[]) x(name, bu)',
    [org.users.map((u) => u.id), org.users.map((u) => ids.of(u.businessUnitId)), tag]);
  const teams = org.teams.filter((t) => !t.isDefault);
  await named('select x.name, rowscope.create_team(x.name, x.bu, x.kind) as id from unnest($1::text[], $2::uuid[], $3::text[]) x(name, bu, kind)',
    [teams.map((t) => t.id), teams.map((t) => ids.of(t.businessUnitId)), teams.map((t) => t.type)]);
  for (const p of org.positions ?? []) await named('select $1::text as name, rowscope.create_position($1, $2) as id', [p.id, ids.opt(p.parentId)]);
  const members = teams.flatMap((t) => t.members.map((m) => [ids.of(t.id), ids.of(m)]));
  await c.query('select rowscope.add_team_member(x.t, x.u) from unnest($1::uuid[], $2::uuid[]) x(t, u)', [members.map((m) => m[0]), members.map((m) => m[1])]);
  const a = org.assignments;
  await c.query('select rowscope.assign_role(x.p, x.r, x.b, x.i) from unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) x(p, r, b, i)',
    [a.map((x) => ids.of(x.principalId)), a.map((x) => x.role), a.map((x) => ids.opt(x.businessUnitId)), a.map((x) => x.inheritance)]);
  const accounts = org.records.account ?? [];
  await named(`insert into app.account (name, owner_id, owning_business_unit, revenue, credit_limit)
               select * from unnest($1::text[], $2::uuid[], $3::uuid[], $4::numeric[], $5::numeric[]) returning name, id`,
    [accounts.map((r) => r.id), accounts.map((r) => ids.of(r.ownerId!)), accounts.map((r) => ids.of(r.owningBusinessUnitId!)),
     accounts.map((r) => value('revenue', r.id)), accounts.map((r) => value('credit_limit', r.id))]);
  await named('insert into app.product (name) select unnest($1::text[]) returning name, id', [(org.records.product ?? []).map((r) => r.id)]);
  // contacts before the shares: a child created under a shared parent inherits its cascading shares
  const contacts = org.links.map((l) => ({ link: l, row: org.records.contact!.find((x) => x.id === l.recordId)! }));
  await named(`insert into app.contact (name, owner_id, owning_business_unit, account_id)
               select * from unnest($1::text[], $2::uuid[], $3::uuid[], $4::uuid[]) returning name, id`,
    [contacts.map((x) => x.row.id), contacts.map((x) => ids.of(x.row.ownerId!)), contacts.map((x) => ids.of(x.row.owningBusinessUnitId!)), contacts.map((x) => ids.of(x.link.parentId))]);
  const sh = org.shares;
  await c.query(`insert into rowscope.record_share (table_name, record_id, principal_id, rights)
                 select x.t, x.r, x.p, string_to_array(x.rights, ',') from unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[]) x(t, r, p, rights)`,
    [sh.map((s) => s.table), sh.map((s) => ids.of(s.recordId)), sh.map((s) => ids.of(s.principalId)), sh.map((s) => s.rights.join(','))]);
  const fs = org.fieldShares ?? [];
  await c.query('select rowscope.share_field(x.t, x.r, x.col, x.p, x.cr, x.cu) from unnest($1::text[], $2::uuid[], $3::text[], $4::uuid[], $5::bool[], $6::bool[]) x(t, r, col, p, cr, cu)',
    [fs.map((f) => f.table), fs.map((f) => ids.of(f.recordId)), fs.map((f) => f.column), fs.map((f) => ids.of(f.principalId)), fs.map((f) => f.canRead), fs.map((f) => f.canUpdate)]);
  const pm = org.profileMembers ?? [];
  await c.query('select rowscope.add_profile_member(x.pr, x.p) from unnest($1::text[], $2::uuid[]) x(pr, p)', [pm.map((m) => m.profile), pm.map((m) => ids.of(m.principalId))]);
  const modes = org.users.filter((u) => u.accessMode !== 'read_write');
  await c.query('select rowscope.set_access_mode(x.u, x.m) from unnest($1::uuid[], $2::text[]) x(u, m)', [modes.map((u) => ids.of(u.id)), modes.map((u) => u.accessMode)]);
  const managed = org.users.filter((u) => u.managerId);
  await c.query('select rowscope.set_manager(x.u, x.m) from unnest($1::uuid[], $2::uuid[]) x(u, m)', [managed.map((u) => ids.of(u.id)), managed.map((u) => ids.of(u.managerId!))]);
  // last: records are inserted while their owners are enabled
  await c.query('select rowscope.disable_user(x.u) from unnest($1::uuid[]) x(u)', [org.users.filter((u) => u.disabled).map((u) => ids.of(u.id))]);
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
