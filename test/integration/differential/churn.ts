// Changes to security data after an organization is loaded: team membership,
// roles, enabling, access modes, moving users, revoking shares. Applied to the
// database through the SQL API and to the reference organization alike, so the
// tests also cover access classes being re-derived after each kind of change.
import fc from 'fast-check';
import type pg from 'pg';
import { ACCESS_MODES, type Organization } from '../../../src/reference/index.ts';
import type { Loaded } from './load.ts';

export type Change =
  | { kind: 'add_member' | 'remove_member'; team: number; user: number }
  | { kind: 'remove_role'; assignment: number }
  | { kind: 'enable'; user: number }
  | { kind: 'mode'; user: number; mode: (typeof ACCESS_MODES)[number] }
  | { kind: 'move'; user: number; bu: number }
  | { kind: 'unshare'; share: number };

export const changesArbitrary: fc.Arbitrary<Change[]> = fc.array(
  fc.oneof(
    fc.record({ kind: fc.constantFrom('add_member' as const, 'remove_member' as const), team: fc.nat(), user: fc.nat() }),
    fc.record({ kind: fc.constant('remove_role' as const), assignment: fc.nat() }),
    fc.record({ kind: fc.constant('enable' as const), user: fc.nat() }),
    fc.record({ kind: fc.constant('mode' as const), user: fc.nat(), mode: fc.constantFrom(...ACCESS_MODES) }),
    fc.record({ kind: fc.constant('move' as const), user: fc.nat(), bu: fc.nat() }),
    fc.record({ kind: fc.constant('unshare' as const), share: fc.nat() }),
  ),
  { maxLength: 4 },
);

/** Applies the changes (those that make sense in this organization); returns the new organization and what was done. */
export async function applyChanges(c: pg.PoolClient, before: Organization, loaded: Loaded, changes: Change[]): Promise<{ org: Organization; done: string[] }> {
  const org: Organization = structuredClone(before);
  const id = (sym: string) => loaded.ids.get(sym)!;
  const done: string[] = [];
  const pick = <T>(list: T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);
  for (const ch of changes) {
    if (ch.kind === 'add_member' || ch.kind === 'remove_member') {
      const team = pick(org.teams, ch.team);
      const user = pick(org.users, ch.user);
      if (!team || !user) continue;
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
      await c.query('select rowscope.remove_role($1, $2)', [id(a.principalId), a.role]);
      org.assignments = org.assignments.filter((x) => x !== a);
      done.push(`remove_role ${a.role} from ${a.principalId}`);
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
      user.businessUnitId = bu.id;
      done.push(`move_user ${user.id} to ${bu.id}`);
    } else if (ch.kind === 'unshare') {
      const s = pick(org.shares, ch.share);
      if (!s) continue;
      await c.query('delete from rowscope.record_share where table_name = $1 and record_id = $2 and principal_id = $3', [s.table, id(s.recordId), id(s.principalId)]);
      org.shares = org.shares.filter((x) => x !== s);
      done.push(`revoke the share of ${s.table} ${s.recordId} with ${s.principalId}`);
    }
  }
  // What happens to records when their owner moves is not a question of SPEC §2:
  // take their owning BU from the database and judge access on that.
  const symbols = new Map([...loaded.ids].map(([sym, uuid]) => [uuid, sym]));
  const { rows } = await c.query<{ id: string; owning_business_unit: string }>('select id, owning_business_unit from app.account');
  for (const row of rows) {
    const record = org.records.account!.find((r) => r.id === symbols.get(row.id))!;
    record.owningBusinessUnitId = symbols.get(row.owning_business_unit)!;
  }
  return { org, done };
}
