// Random organizations for the differential tests, as reference-evaluator
// values with readable symbolic ids (bu0.., u0.., t0.., a0.., p0.., pos0..).
// Generated from naturals that are resolved modulo what exists, so fast-check
// shrinks towards small organizations without dependent generators. What the
// model enables (hierarchy, modernized BUs, secured columns) adds its own
// random parts; a model without them gets the organizations it always got.
import fc from 'fast-check';
import { RIGHTS, type Right } from '../../../src/model/types.ts';
import {
  ACCESS_MODES, SYSTEM_ADMINISTRATOR, describeOrganization,
  type FieldShare, type Organization, type ProfileMember, type RoleAssignment, type Share, type Team,
} from '../../../src/reference/index.ts';

const weighted = <T>(common: T, rare: readonly T[], weight = 6) =>
  fc.oneof({ weight, arbitrary: fc.constant(common) }, ...rare.map((r) => ({ weight: 1, arbitrary: fc.constant(r) })));

/** What the fixture model enables beyond roles and sharing. */
export interface Features {
  hierarchy: 'none' | 'manager' | 'position';
  /** ownershipAcrossBusinessUnits: roles in any BU, records owned across BUs */
  modern: boolean;
  /** secured columns of account (with the model's profiles) */
  secured: string[];
  /** contact under account (reparent inheritance) */
  contacts: boolean;
}

export function featuresOf(model: Organization): Features {
  return {
    hierarchy: model.hierarchy?.model ?? 'none',
    modern: model.ownershipAcrossBusinessUnits ?? false,
    secured: model.tables.account?.securedColumns ?? [],
    contacts: 'contact' in model.tables,
  };
}

// a nat, or null one time in `freq` (fast-check's option: freq 1 is always null)
const maybe = (freq: number) => fc.option(fc.nat(), { freq, nil: null });

export function organizationArbitrary(model: Organization): fc.Arbitrary<Organization> {
  const features = featuresOf(model);
  const roleNames = [...model.roles.map((r) => r.name), SYSTEM_ADMINISTRATOR];
  const role = fc.constantFrom(...roleNames); // uniform: System Administrator about 1 pick in 30
  const rights = fc.subarray([...RIGHTS], { minLength: 1 });
  const profileNames = (model.fieldProfiles ?? []).map((p) => p.name);
  return fc
    .record({
      buParents: fc.array(fc.nat(), { maxLength: 5 }),
      users: fc.array(
        fc.record({
          bu: fc.nat(),
          mode: weighted('read_write', ACCESS_MODES.filter((m) => m !== 'read_write')),
          disabled: weighted(false, [true], 5),
          // modernized BUs: a role may be held in another BU (null: the user's own)
          roles: fc.uniqueArray(fc.record({ role, bu: features.modern ? maybe(2) : fc.constant(null) }), { maxLength: 3, selector: (r) => `${r.role} ${r.bu}` }),
          // manager model: a user earlier in the list (a forest by construction); position model: a node
          manager: features.hierarchy === 'manager' ? maybe(4) : fc.constant(null),
          position: features.hierarchy === 'position' ? maybe(5) : fc.constant(null),
        }),
        { minLength: 2, maxLength: 6 },
      ),
      // account's own hierarchy depth (null: the model's table setting, if any, else the hierarchy's depth)
      accountDepth: features.hierarchy !== 'none' ? fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }) : fc.constant(null),
      positionParents: features.hierarchy === 'position' ? fc.array(fc.nat(), { minLength: 1, maxLength: 4 }) : fc.constant<number[]>([]),
      teams: fc.array(
        fc.record({
          bu: fc.nat(),
          access: weighted(false, [true], 2),
          members: fc.uniqueArray(fc.nat({ max: 5 }), { maxLength: 4 }),
          roles: fc.uniqueArray(role, { maxLength: 2 }),
          direct: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
      // every BU's default team: roles of some of them
      defaultTeamRoles: fc.array(fc.record({ bu: fc.nat(), role, direct: fc.boolean() }), { maxLength: 2 }),
      // contacts under accounts (parent null: none)
      contacts: features.contacts ? fc.array(fc.record({ owner: fc.nat(), parent: maybe(4) }), { maxLength: 6 }) : fc.constant<{ owner: number; parent: number | null }[]>([]),
      // modernized BUs: the owning BU, mostly another than the owner's
      accounts: fc.array(fc.record({ owner: fc.nat(), bu: features.modern ? maybe(4) : fc.constant(null) }), { maxLength: 12 }),
      products: fc.nat({ max: 3 }),
      shares: fc.array(fc.record({ product: weighted(false, [true], 4), record: fc.nat(), principal: fc.nat(), rights }), { maxLength: 6 }),
      profileMembers: profileNames.length
        ? fc.array(fc.record({ profile: fc.constantFrom(...profileNames), principal: fc.nat() }), { maxLength: 5 })
        : fc.constant<{ profile: string; principal: number }[]>([]),
      fieldShares: features.secured.length
        ? fc.array(fc.record({ record: fc.nat(), column: fc.constantFrom(...features.secured), principal: fc.nat(), read: weighted(true, [false], 3), update: fc.boolean() }), { maxLength: 5 })
        : fc.constant<{ record: number; column: string; principal: number; read: boolean; update: boolean }[]>([]),
    })
    .map((raw) => {
      const bus = [{ id: 'bu0', parentId: null as string | null }];
      raw.buParents.forEach((p, i) => bus.push({ id: `bu${i + 1}`, parentId: `bu${p % (i + 1)}` }));
      const positions = raw.positionParents.map((p, i) => ({ id: `pos${i}`, parentId: i === 0 || p % 3 === 0 ? null : `pos${p % i}` }));
      const users = raw.users.map((u, i) => ({
        id: `u${i}`,
        businessUnitId: `bu${u.bu % bus.length}`,
        accessMode: u.mode,
        disabled: u.disabled,
        managerId: u.manager !== null && i > 0 ? `u${u.manager % i}` : null,
        positionId: u.position !== null && positions.length ? positions[u.position % positions.length]!.id : null,
      }));
      const teams: Team[] = raw.teams.map((t, i) => ({
        id: `t${i}`,
        businessUnitId: `bu${t.bu % bus.length}`,
        type: t.access ? ('access' as const) : ('owner' as const),
        members: [...new Set(t.members.map((m) => `u${m % users.length}`))].sort(),
      }));
      // SPEC §2: every BU's default owner team, whose members are the BU's users
      for (const bu of bus) {
        teams.push({ id: `${bu.id}_team`, businessUnitId: bu.id, type: 'owner', isDefault: true, members: users.filter((u) => u.businessUnitId === bu.id).map((u) => u.id).sort() });
      }
      const assignments: RoleAssignment[] = [];
      raw.users.forEach((u, i) => {
        for (const r of u.roles) {
          // the user's own BU is written as null: the assignment follows the user when they move
          const bu = r.bu === null ? null : bus[r.bu % bus.length]!.id;
          const businessUnitId = bu === users[i]!.businessUnitId ? null : bu;
          if (assignments.some((a) => a.principalId === `u${i}` && a.role === r.role && a.businessUnitId === businessUnitId)) continue;
          assignments.push({ principalId: `u${i}`, role: r.role, businessUnitId, inheritance: 'team_only' });
        }
      });
      raw.teams.forEach((t, i) => {
        if (t.access) return;
        for (const r of t.roles) assignments.push({ principalId: `t${i}`, role: r, businessUnitId: null, inheritance: t.direct ? 'direct_user_and_team' : 'team_only' });
      });
      for (const d of raw.defaultTeamRoles) {
        const principalId = `${bus[d.bu % bus.length]!.id}_team`;
        if (assignments.some((a) => a.principalId === principalId && a.role === d.role)) continue;
        assignments.push({ principalId, role: d.role, businessUnitId: null, inheritance: d.direct ? 'direct_user_and_team' : 'team_only' });
      }
      // owners are users (enabled when records are inserted) and owner teams
      const owners = [...users, ...teams.filter((t) => t.type === 'owner')];
      const account = raw.accounts.map((a, i) => {
        const owner = owners[a.owner % owners.length]!;
        return { id: `a${i}`, ownerId: owner.id, owningBusinessUnitId: a.bu === null ? owner.businessUnitId : bus[a.bu % bus.length]!.id };
      });
      const contact = raw.contacts.map((c, i) => {
        const owner = owners[c.owner % owners.length]!;
        const parent = c.parent === null || account.length === 0 ? null : account[c.parent % account.length]!.id;
        return { id: `c${i}`, ownerId: owner.id, owningBusinessUnitId: owner.businessUnitId, parents: { account_id: parent } };
      });
      const product = Array.from({ length: raw.products }, (_, i) => ({ id: `p${i}`, ownerId: null, owningBusinessUnitId: null }));
      const principals = [...users, ...teams];
      // one direct share per (record, principal): repeated ones are merged, as granting again adds rights
      const shares = new Map<string, Share>();
      for (const s of raw.shares) {
        const rows = s.product ? product : account;
        if (rows.length === 0) continue;
        const table = s.product ? 'product' : 'account';
        const recordId = rows[s.record % rows.length]!.id;
        const principalId = principals[s.principal % principals.length]!.id;
        const key = `${table} ${recordId} ${principalId}`;
        const merged = new Set<Right>([...(shares.get(key)?.rights ?? []), ...s.rights]);
        shares.set(key, { table, recordId, principalId, rights: RIGHTS.filter((r) => merged.has(r)) });
      }
      const profileMembers = new Map<string, ProfileMember>();
      for (const m of raw.profileMembers) {
        const principalId = principals[m.principal % principals.length]!.id;
        profileMembers.set(`${m.profile} ${principalId}`, { profile: m.profile, principalId });
      }
      // sharing a column again replaces its flags; both false is no share at all
      const fieldShares = new Map<string, FieldShare>();
      for (const f of raw.fieldShares) {
        if (account.length === 0 || (!f.read && !f.update)) continue;
        const recordId = account[f.record % account.length]!.id;
        const principalId = principals[f.principal % principals.length]!.id;
        fieldShares.set(`${recordId} ${f.column} ${principalId}`, { table: 'account', recordId, column: f.column, principalId, canRead: f.read, canUpdate: f.update });
      }
      const tables = raw.accountDepth === null || !model.tables.account
        ? model.tables
        : { ...model.tables, account: { ...model.tables.account, hierarchyDepth: raw.accountDepth } };
      const org: Organization = {
        ...model,
        tables,
        businessUnits: bus,
        users,
        teams,
        assignments,
        records: features.contacts ? { account, product, contact } : { account, product },
        shares: [...shares.values()],
        positions,
        profileMembers: [...profileMembers.values()],
        fieldShares: [...fieldShares.values()],
      };
      // fast-check prints counterexamples with this: the readable form, not the model's roles as JSON
      return Object.defineProperty(org, fc.toStringMethod, { value: () => `\n${describeOrganization(org)}\n`, enumerable: false });
    });
}
