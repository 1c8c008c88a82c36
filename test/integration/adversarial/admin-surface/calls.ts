// Random admin calls: each is drawn as a few naturals and flags, resolved
// against the organization as it is when the call comes (so it names users,
// teams and records that exist, including ones earlier calls created), and
// run through the SQL API as the caller.
import fc from 'fast-check';
import type pg from 'pg';
import { RIGHTS, type Right } from '../../../../src/model/types.ts';
import { lit, sql } from '../../../../src/sql/index.ts';
import {
  ACCESS_MODES, ADMIN_FUNCTIONS, SYSTEM_ADMINISTRATOR,
  type AdminCall, type AdminFunction, type AdminOrganization,
} from '../../../../src/reference/index.ts';
import type { Ids } from './database.ts';

export interface CallSeed {
  caller: number;
  fn: AdminFunction;
  a: number;
  b: number;
  c: number;
  flag: boolean;
  flag2: boolean;
  mode: (typeof ACCESS_MODES)[number];
  rights: Right[];
}

// the functions that give something are drawn more often than those that only create or take away
const WEIGHTS: Partial<Record<AdminFunction, number>> = {
  add_team_member: 4, assign_role: 4, grant_access: 3, modify_access: 2, add_access_team_member: 3,
  add_profile_member: 3, share_field: 3, assign: 2, set_manager: 2, move_user: 2,
};

export const callSeedArbitrary: fc.Arbitrary<CallSeed> = fc.record({
  caller: fc.nat(),
  fn: fc.oneof(...ADMIN_FUNCTIONS.map((fn) => ({ weight: WEIGHTS[fn] ?? 1, arbitrary: fc.constant(fn) }))),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  flag: fc.boolean(),
  flag2: fc.boolean(),
  mode: fc.constantFrom(...ACCESS_MODES),
  rights: fc.subarray([...RIGHTS], { minLength: 1, maxLength: 3 }),
});

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length > 0 ? list[n % list.length] : undefined);

/** The call a seed stands for in this organization (null: nothing to call it on), and who calls. */
export function resolveCall(org: AdminOrganization, seed: CallSeed, fresh: () => string): { caller: string; call: AdminCall } | null {
  const caller = pick(org.users, seed.caller)!.id;
  const { a, b, c, flag, flag2 } = seed;
  const users = org.users.map((u) => u.id);
  const principals = [...users, ...org.teams.map((t) => t.id)];
  const table = flag2 && (org.records.contact?.length ?? 0) > 0 ? 'contact' : 'account';
  const record = pick(org.records[table] ?? [], a)?.id;
  const roles = [...org.roles.map((r) => r.name), SYSTEM_ADMINISTRATOR];
  let call: AdminCall | null = null;
  switch (seed.fn) {
    case 'create_business_unit':
      call = { fn: seed.fn, newId: `nb${fresh()}`, parentId: pick(org.businessUnits, a)!.id };
      break;
    case 'create_user':
      call = { fn: seed.fn, newId: `nu${fresh()}`, businessUnitId: pick(org.businessUnits, a)!.id, managerId: b % 4 === 0 ? pick(users, c)! : null, accessMode: seed.mode };
      break;
    case 'set_manager':
      call = { fn: seed.fn, userId: pick(users, a)!, managerId: b % 5 === 0 ? null : pick(users, c)! };
      break;
    case 'move_user':
      call = { fn: seed.fn, userId: pick(users, a)!, businessUnitId: pick(org.businessUnits, b)!.id };
      break;
    case 'set_access_mode':
      call = { fn: seed.fn, userId: pick(users, a)!, accessMode: seed.mode };
      break;
    case 'disable_user':
    case 'enable_user':
      call = { fn: seed.fn, userId: pick(users, a)! };
      break;
    case 'create_team':
      call = { fn: seed.fn, newId: `nt${fresh()}`, businessUnitId: pick(org.businessUnits, a)!.id, teamType: flag && b % 2 === 0 ? 'access' : 'owner' };
      break;
    case 'add_team_member':
    case 'remove_team_member': {
      const team = pick(org.teams, a);
      if (!team) break;
      const member = seed.fn === 'remove_team_member' && flag ? pick(team.members, b) : undefined;
      call = { fn: seed.fn, teamId: team.id, userId: member ?? pick(users, b)! };
      break;
    }
    case 'assign_role': {
      const principalId = pick(principals, a)!;
      const isTeam = org.teams.some((t) => t.id === principalId);
      // users take team_only, with a rare direct_user_and_team (22023)
      const inheritance = flag && (isTeam || c % 5 === 0) ? 'direct_user_and_team' : 'team_only';
      // now and then in a BU given explicitly: the principal's own, or another (22023 without ownershipAcrossBusinessUnits)
      const businessUnitId = c % 4 === 1 ? pick(org.businessUnits, a + c)!.id : null;
      call = { fn: seed.fn, principalId, role: pick(roles, b)!, inheritance, businessUnitId };
      break;
    }
    case 'remove_role': {
      const held = flag ? pick(org.assignments, a) : undefined;
      call = held ? { fn: seed.fn, principalId: held.principalId, role: held.role } : { fn: seed.fn, principalId: pick(principals, a)!, role: pick(roles, b)! };
      break;
    }
    case 'create_position':
      call = { fn: seed.fn, newId: `np${fresh()}`, parentId: flag ? (pick(org.positions ?? [], a)?.id ?? null) : null };
      break;
    case 'set_position':
      call = { fn: seed.fn, userId: pick(users, a)!, positionId: flag ? null : (pick(org.positions ?? [], b)?.id ?? null) };
      break;
    case 'grant_access':
    case 'modify_access':
      if (!record) break;
      call = { fn: seed.fn, table, recordId: record, principalId: pick(principals, b)!, rights: seed.rights };
      break;
    case 'revoke_access': {
      const share = flag ? pick(org.shares.filter((s) => !s.inheritedFrom && s.table !== 'product'), a) : undefined;
      if (share) call = { fn: seed.fn, table: share.table, recordId: share.recordId, principalId: share.principalId };
      else if (record) call = { fn: seed.fn, table, recordId: record, principalId: pick(principals, b)! };
      break;
    }
    case 'assign':
      if (!record) break;
      call = { fn: seed.fn, table, recordId: record, newOwnerId: pick(principals, b)! };
      break;
    case 'add_access_team_member':
    case 'remove_access_team_member': {
      const account = pick(org.records.account ?? [], a)?.id;
      if (!account) break;
      call = { fn: seed.fn, table: 'account', recordId: account, template: flag ? 'account_team' : 'account_readers', userId: pick(users, b)! };
      break;
    }
    case 'add_profile_member':
    case 'remove_profile_member':
      call = { fn: seed.fn, profile: pick(org.fieldProfiles ?? [], a)!.name, principalId: pick(principals, b)! };
      break;
    case 'share_field': {
      const account = pick(org.records.account ?? [], a)?.id;
      if (!account) break;
      call = { fn: seed.fn, table: 'account', recordId: account, column: c % 2 === 0 ? 'revenue' : 'credit_limit', principalId: pick(principals, b)!, canRead: flag || !flag2, canUpdate: flag2 && c % 3 !== 0 };
      break;
    }
  }
  return call && { caller, call };
}

/** The SQL of a call and its arguments (uuids for symbolic ids). */
function statement(call: AdminCall, ids: Ids, login: (newId: string) => string): [string, unknown[]] {
  const id = (s: string) => ids.of(s);
  switch (call.fn) {
    case 'create_business_unit': return ['select rowscope.create_business_unit($1, $2) as id', [call.newId, id(call.parentId)]];
    case 'create_user': return ['select rowscope.create_user($1, $2, $3, $4) as id', [login(call.newId), id(call.businessUnitId), ids.opt(call.managerId), call.accessMode]];
    case 'set_manager': return ['select rowscope.set_manager($1, $2)', [id(call.userId), ids.opt(call.managerId)]];
    case 'move_user': return ['select rowscope.move_user($1, $2)', [id(call.userId), id(call.businessUnitId)]];
    case 'set_access_mode': return ['select rowscope.set_access_mode($1, $2)', [id(call.userId), call.accessMode]];
    case 'disable_user': return ['select rowscope.disable_user($1)', [id(call.userId)]];
    case 'enable_user': return ['select rowscope.enable_user($1)', [id(call.userId)]];
    case 'create_team': return ['select rowscope.create_team($1, $2, $3) as id', [call.newId, id(call.businessUnitId), call.teamType]];
    case 'add_team_member': return ['select rowscope.add_team_member($1, $2)', [id(call.teamId), id(call.userId)]];
    case 'remove_team_member': return ['select rowscope.remove_team_member($1, $2)', [id(call.teamId), id(call.userId)]];
    case 'assign_role': return ['select rowscope.assign_role($1, $2, $3, $4)', [id(call.principalId), call.role, ids.opt(call.businessUnitId ?? null), call.inheritance]];
    case 'remove_role': return ['select rowscope.remove_role($1, $2)', [id(call.principalId), call.role]];
    case 'create_position': return ['select rowscope.create_position($1, $2) as id', [call.newId, ids.opt(call.parentId)]];
    case 'set_position': return ['select rowscope.set_position($1, $2)', [id(call.userId), ids.opt(call.positionId)]];
    case 'grant_access': return ['select rowscope.grant_access($1, $2, $3, $4::text[])', [call.table, id(call.recordId), id(call.principalId), call.rights]];
    case 'modify_access': return ['select rowscope.modify_access($1, $2, $3, $4::text[])', [call.table, id(call.recordId), id(call.principalId), call.rights]];
    case 'revoke_access': return ['select rowscope.revoke_access($1, $2, $3)', [call.table, id(call.recordId), id(call.principalId)]];
    case 'assign': return ['select rowscope.assign($1, $2, $3)', [call.table, id(call.recordId), id(call.newOwnerId)]];
    case 'add_access_team_member': return ['select rowscope.add_access_team_member($1, $2, $3, $4)', [call.table, id(call.recordId), call.template, id(call.userId)]];
    case 'remove_access_team_member': return ['select rowscope.remove_access_team_member($1, $2, $3, $4)', [call.table, id(call.recordId), call.template, id(call.userId)]];
    case 'add_profile_member': return ['select rowscope.add_profile_member($1, $2)', [call.profile, id(call.principalId)]];
    case 'remove_profile_member': return ['select rowscope.remove_profile_member($1, $2)', [call.profile, id(call.principalId)]];
    case 'share_field': return ['select rowscope.share_field($1, $2, $3, $4, $5, $6)', [call.table, id(call.recordId), call.column, id(call.principalId), call.canRead, call.canUpdate]];
  }
}

export type DbOutcome = { ok: true } | { ok: false; code: string; message: string };

/**
 * Runs the call as the caller's login (set_config('role', …, true)) in a
 * savepoint of the sequence's transaction: kept when it succeeds, rolled
 * back when it fails. New objects get their symbolic ids.
 */
export async function runCall(c: pg.PoolClient, ids: Ids, caller: string, call: AdminCall, login: (newId: string) => string): Promise<DbOutcome> {
  const [text, values] = statement(call, ids, login);
  // one round trip each for entering and leaving the caller's role (the machines are busy: round trips are the cost)
  await c.query(sql`savepoint admin_call; select set_config('role', ${lit(ids.login.get(caller)!)}, true)`.text);
  try {
    const { rows } = await c.query<{ id?: string }>(text, values);
    await c.query("select set_config('role', 'none', true); release savepoint admin_call");
    if ('newId' in call) {
      ids.set(call.newId, rows[0]!.id!);
      if (call.fn === 'create_user') ids.login.set(call.newId, login(call.newId));
    }
    return { ok: true };
  } catch (e) {
    await c.query('rollback to savepoint admin_call');
    const err = e as { code?: string; message: string };
    return { ok: false, code: err.code ?? 'none', message: err.message };
  }
}
