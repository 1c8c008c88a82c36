// Changes to security data after an organization is loaded: team membership
// (a default team's must be refused with 22023), roles, enabling, access modes,
// moving users (their default team follows; their own roles go unless
// keepRolesOnBusinessUnitChange), revoking shares, assigning accounts (a new
// owner without read is refused with 42501), reparenting contacts (with the
// shares they inherit), and where
// the model has them, managers (a cycle must be refused with 22023), positions,
// profile membership and field shares. Applied to the
// database through the SQL API and to the reference organization alike, so the
// tests also cover access classes being re-derived after each kind of change.
import fc from 'fast-check';
import type pg from 'pg';
import { ACCESS_MODES, moveUser, ownerRefusal, reparentRecord, type Organization } from '../../../src/reference/index.ts';
import type { Loaded } from './load.ts';

export type Change =
  | { kind: 'add_member' | 'remove_member'; team: number; user: number }
  | { kind: 'remove_role'; assignment: number }
  | { kind: 'enable'; user: number }
  | { kind: 'mode'; user: number; mode: (typeof ACCESS_MODES)[number] }
  | { kind: 'move'; user: number; bu: number }
  | { kind: 'unshare'; share: number }
  | { kind: 'manager'; user: number; manager: number | null }
  | { kind: 'position'; user: number; position: number | null }
  | { kind: 'add_profile' | 'remove_profile'; profile: number; principal: number }
  | { kind: 'unshare_field'; share: number }
  | { kind: 'assign'; record: number; owner: number }
  | { kind: 'reparent'; record: number; parent: number | null };

export const changesArbitrary: fc.Arbitrary<Change[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constantFrom('add_member' as const, 'remove_member' as const), team: fc.nat(), user: fc.nat() }),
    fc.record({ kind: fc.constant('remove_role' as const), assignment: fc.nat() }),
    fc.record({ kind: fc.constant('enable' as const), user: fc.nat() }),
    fc.record({ kind: fc.constant('mode' as const), user: fc.nat(), mode: fc.constantFrom(...ACCESS_MODES) }),
    fc.record({ kind: fc.constant('move' as const), user: fc.nat(), bu: fc.nat() }),
    fc.record({ kind: fc.constant('unshare' as const), share: fc.nat() }),
    fc.record({ kind: fc.constant('manager' as const), user: fc.nat(), manager: fc.option(fc.nat(), { nil: null }) }),
    fc.record({ kind: fc.constant('position' as const), user: fc.nat(), position: fc.option(fc.nat(), { nil: null }) }),
    fc.record({ kind: fc.constantFrom('add_profile' as const, 'remove_profile' as const), profile: fc.nat(), principal: fc.nat() }),
    fc.record({ kind: fc.constant('unshare_field' as const), share: fc.nat() }),
    fc.record({ kind: fc.constant('assign' as const), record: fc.nat(), owner: fc.nat() }),
    fc.record({ kind: fc.constant('reparent' as const), record: fc.nat(), parent: fc.option(fc.nat(), { freq: 4, nil: null }) }),
  ),
  { maxLength: 4 },
);

/** Whether making `manager` the manager of `user` closes a loop (the user is the manager or above them). */
function makesCycle(org: Organization, user: string, manager: string): boolean {
  for (let at: string | null | undefined = manager, steps = 0; at && steps <= org.users.length; at = org.users.find((u) => u.id === at)?.managerId, steps++) {
    if (at === user) return true;
  }
  return false;
}

/**
 * Applies the changes (those that make sense in this organization); returns the
 * new organization, what was done, and what the database got wrong on the way.
 */
export async function applyChanges(c: pg.PoolClient, before: Organization, loaded: Loaded, changes: Change[]): Promise<{ org: Organization; done: string[]; found: string[] }> {
  const org: Organization = structuredClone(before);
  const id = (sym: string) => loaded.ids.get(sym)!;
  const done: string[] = [];
  const found: string[] = [];
  const hierarchy = org.hierarchy?.model ?? 'none';
  const principals = () => [...org.users, ...org.teams];
  const pick = <T>(list: T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);
  for (const ch of changes) {
    if (ch.kind === 'add_member' || ch.kind === 'remove_member') {
      const team = pick(org.teams, ch.team);
      const user = pick(org.users, ch.user);
      if (!team || !user) continue;
      if (team.isDefault) {
        // docs/security-model.md: the default team's members are the BU's users; by hand it is 22023
        const code = await c.query(`select rowscope.${ch.kind === 'add_member' ? 'add' : 'remove'}_team_member($1, $2)`, [id(team.id), id(user.id)])
          .then(() => 'no error', (e: { code?: string }) => e.code);
        if (code !== '22023') found.push(`${ch.kind} ${user.id} on the default team ${team.id}: database ${code}, expected 22023`);
        done.push(`${ch.kind} ${user.id} on the default team ${team.id} (refused)`);
        continue;
      }
      if (ch.kind === 'add_member' && !team.members.includes(user.id)) {
        await c.query('select rowscope.add_team_member($1, $2)', [id(team.id), id(user.id)]);
        team.members.push(user.id);
      } else if (ch.kind === 'remove_member' && team.members.includes(user.id)) {
        await c.query('select rowscope.remove_team_member($1, $2)', [id(team.id), id(user.id)]);
        team.members = team.members.filter((m) => m !== user.id);
      } else continue;
      done.push(`${ch.kind} ${user.id} ${ch.kind === 'add_member' ? 'to' : 'from'} ${team.id}`);
    } else if (ch.kind === 'remove_role') {
      const a = pick(org.assignments, ch.assignment);
      if (!a) continue;
      await c.query('select rowscope.remove_role($1, $2, $3)', [id(a.principalId), a.role, a.businessUnitId && id(a.businessUnitId)]);
      // removes the role in the BU it applies in: after move_user a role held in
      // the user's new BU and one held in their own BU are the same (both go)
      const principalBu = [...org.users, ...org.teams].find((p) => p.id === a.principalId)!.businessUnitId;
      const appliesIn = (x: typeof a) => x.businessUnitId ?? principalBu;
      org.assignments = org.assignments.filter((x) => !(x.principalId === a.principalId && x.role === a.role && appliesIn(x) === appliesIn(a)));
      done.push(`remove_role ${a.role}${a.businessUnitId ? ` in ${a.businessUnitId}` : ''} from ${a.principalId}`);
    } else if (ch.kind === 'enable') {
      const user = pick(org.users.filter((u) => u.disabled), ch.user);
      if (!user) continue;
      await c.query('select rowscope.enable_user($1)', [id(user.id)]);
      user.disabled = false;
      done.push(`enable_user ${user.id}`);
    } else if (ch.kind === 'mode') {
      const user = pick(org.users, ch.user)!;
      await c.query('select rowscope.set_access_mode($1, $2)', [id(user.id), ch.mode]);
      user.accessMode = ch.mode;
      done.push(`set_access_mode ${user.id} ${ch.mode}`);
    } else if (ch.kind === 'move') {
      const user = pick(org.users, ch.user)!;
      const bu = pick(org.businessUnits, ch.bu)!;
      await c.query('select rowscope.move_user($1, $2)', [id(user.id), id(bu.id)]);
      moveUser(org, user.id, bu.id);
      done.push(`move_user ${user.id} to ${bu.id}`);
    } else if (ch.kind === 'unshare') {
      const s = pick(org.shares, ch.share);
      if (!s) continue;
      await c.query('delete from rowscope.record_share where table_name = $1 and record_id = $2 and principal_id = $3', [s.table, id(s.recordId), id(s.principalId)]);
      // every row of the principal on the record goes, inherited ones too; a
      // bare delete cascades to no child
      org.shares = org.shares.filter((x) => !(x.table === s.table && x.recordId === s.recordId && x.principalId === s.principalId));
      done.push(`revoke the share of ${s.table} ${s.recordId} with ${s.principalId}`);
    } else if (ch.kind === 'manager') {
      if (hierarchy !== 'manager') continue;
      const user = pick(org.users, ch.user)!;
      const manager = ch.manager === null ? null : pick(org.users, ch.manager)!;
      if (manager && makesCycle(org, user.id, manager.id)) {
        // docs/security-model.md rule 4: a cycle is refused with 22023 (and changes nothing)
        const code = await c.query('select rowscope.set_manager($1, $2)', [id(user.id), id(manager.id)]).then(() => 'no error', (e: { code?: string }) => e.code);
        if (code !== '22023') found.push(`set_manager ${user.id} ${manager.id} makes a cycle: database ${code}, expected 22023`);
        done.push(`set_manager ${user.id} ${manager.id} (a cycle, refused)`);
        continue;
      }
      await c.query('select rowscope.set_manager($1, $2)', [id(user.id), manager && id(manager.id)]);
      user.managerId = manager?.id ?? null;
      done.push(`set_manager ${user.id} ${manager?.id ?? 'null'}`);
    } else if (ch.kind === 'position') {
      if (hierarchy !== 'position') continue;
      const user = pick(org.users, ch.user)!;
      const position = ch.position === null ? null : pick(org.positions ?? [], ch.position);
      if (position === undefined) continue;
      await c.query('select rowscope.set_position($1, $2)', [id(user.id), position && id(position.id)]);
      user.positionId = position?.id ?? null;
      done.push(`set_position ${user.id} ${position?.id ?? 'null'}`);
    } else if (ch.kind === 'add_profile' || ch.kind === 'remove_profile') {
      const profile = pick(org.fieldProfiles ?? [], ch.profile);
      const principal = pick(principals(), ch.principal)!;
      if (!profile) continue;
      const members = org.profileMembers ?? [];
      const held = members.some((m) => m.profile === profile.name && m.principalId === principal.id);
      if (ch.kind === 'add_profile' && !held) {
        await c.query('select rowscope.add_profile_member($1, $2)', [profile.name, id(principal.id)]);
        org.profileMembers = [...members, { profile: profile.name, principalId: principal.id }];
      } else if (ch.kind === 'remove_profile' && held) {
        await c.query('select rowscope.remove_profile_member($1, $2)', [profile.name, id(principal.id)]);
        org.profileMembers = members.filter((m) => !(m.profile === profile.name && m.principalId === principal.id));
      } else continue;
      done.push(`${ch.kind === 'add_profile' ? 'add_profile_member' : 'remove_profile_member'} ${profile.name} ${principal.id}`);
    } else if (ch.kind === 'assign') {
      const record = pick(org.records.account ?? [], ch.record);
      // docs/security-model.md Assign: an enabled user or an owner team, holding read on account
      const owner = pick([...org.users.filter((u) => !u.disabled), ...org.teams.filter((t) => t.type === 'owner')], ch.owner);
      if (!record || !owner || owner.id === record.ownerId) continue;
      const refusal = ownerRefusal(org, owner.id, 'account');
      const code = await c.query(`select rowscope.assign('account', $1, $2)`, [id(record.id), id(owner.id)])
        .then(() => 'no error', (e: { code?: string }) => e.code);
      if (code !== (refusal ? '42501' : 'no error')) found.push(`assign account ${record.id} to ${owner.id} (deployment administrator): database ${code}, expected ${refusal ? `42501 (${refusal})` : 'no error'}`);
      if (code === 'no error') record.ownerId = owner.id; // its owning BU is read back below
      done.push(`assign account ${record.id} to ${owner.id}${refusal ? ' (refused: no read)' : ''}`);
    } else if (ch.kind === 'reparent') {
      const record = pick(org.records.contact ?? [], ch.record);
      if (!record) continue;
      const parent = ch.parent === null ? null : pick(org.records.account ?? [], ch.parent)?.id ?? null;
      // the shares inherited from the old account go, the new account's come
      // (docs/security-model.md Reparent; src/reference/share-inheritance.ts)
      await c.query('update app.contact set account_id = $1 where id = $2', [parent && id(parent), id(record.id)]);
      reparentRecord(org, 'contact', record.id, 'account_id', parent);
      const inherited = org.shares.filter((sh) => sh.table === 'contact' && sh.recordId === record.id && sh.inheritedFrom).map((sh) => sh.principalId);
      done.push(`reparent contact ${record.id} to ${parent ?? 'no account'}${inherited.length ? ` (inherits the shares with ${inherited.join(', ')})` : ''}`);
    } else if (ch.kind === 'unshare_field') {
      const f = pick(org.fieldShares ?? [], ch.share);
      if (!f) continue;
      await c.query('select rowscope.share_field($1, $2, $3, $4, false, false)', [f.table, id(f.recordId), f.column, id(f.principalId)]);
      org.fieldShares = org.fieldShares!.filter((x) => x !== f);
      done.push(`share_field ${f.table} ${f.recordId}.${f.column} with ${f.principalId}: false, false`);
    }
  }
  // What happens to records when their owner moves is not a question of docs/security-model.md:
  // take their owning BU from the database and judge access on that.
  const symbols = new Map([...loaded.ids].map(([sym, uuid]) => [uuid, sym]));
  for (const table of ['account', 'contact'].filter((t) => t in org.records)) {
    const { rows } = await c.query<{ id: string; owning_business_unit: string }>(`select id, owning_business_unit from app.${table}`);
    for (const row of rows) {
      const record = org.records[table]!.find((r) => r.id === symbols.get(row.id))!;
      record.owningBusinessUnitId = symbols.get(row.owning_business_unit)!;
    }
  }
  return { org, done, found };
}
