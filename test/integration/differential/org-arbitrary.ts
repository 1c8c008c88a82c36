// Random organizations for the differential tests, as reference-evaluator
// values with readable symbolic ids (bu0.., u0.., t0.., a0.., p0..). Generated
// from naturals that are resolved modulo what exists, so fast-check shrinks
// towards small organizations without dependent generators.
import fc from 'fast-check';
import { RIGHTS, type Right } from '../../../src/model/types.ts';
import { ACCESS_MODES, SYSTEM_ADMINISTRATOR, describeOrganization, type Organization, type Share } from '../../../src/reference/index.ts';

const weighted = <T>(common: T, rare: readonly T[], weight = 6) =>
  fc.oneof({ weight, arbitrary: fc.constant(common) }, ...rare.map((r) => ({ weight: 1, arbitrary: fc.constant(r) })));

export function organizationArbitrary(model: Organization): fc.Arbitrary<Organization> {
  const roleNames = [...model.roles.map((r) => r.name), SYSTEM_ADMINISTRATOR];
  const role = fc.constantFrom(...roleNames); // uniform: System Administrator about 1 pick in 30
  const rights = fc.subarray([...RIGHTS], { minLength: 1 });
  return fc
    .record({
      buParents: fc.array(fc.nat(), { maxLength: 5 }),
      users: fc.array(
        fc.record({
          bu: fc.nat(),
          mode: weighted('read_write', ACCESS_MODES.filter((m) => m !== 'read_write')),
          disabled: weighted(false, [true], 5),
          roles: fc.uniqueArray(role, { maxLength: 3 }),
        }),
        { minLength: 2, maxLength: 6 },
      ),
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
      accountOwners: fc.array(fc.nat(), { maxLength: 12 }),
      products: fc.nat({ max: 3 }),
      shares: fc.array(fc.record({ product: weighted(false, [true], 4), record: fc.nat(), principal: fc.nat(), rights }), { maxLength: 6 }),
    })
    .map((raw) => {
      const bus = [{ id: 'bu0', parentId: null as string | null }];
      raw.buParents.forEach((p, i) => bus.push({ id: `bu${i + 1}`, parentId: `bu${p % (i + 1)}` }));
      const users = raw.users.map((u, i) => ({ id: `u${i}`, businessUnitId: `bu${u.bu % bus.length}`, accessMode: u.mode, disabled: u.disabled }));
      const teams = raw.teams.map((t, i) => ({
        id: `t${i}`,
        businessUnitId: `bu${t.bu % bus.length}`,
        type: t.access ? ('access' as const) : ('owner' as const),
        members: [...new Set(t.members.map((m) => `u${m % users.length}`))].sort(),
      }));
      const assignments = [
        ...raw.users.flatMap((u, i) => u.roles.map((r) => ({ principalId: `u${i}`, role: r, businessUnitId: null, inheritance: 'team_only' as const }))),
        ...raw.teams.flatMap((t, i) =>
          t.access ? [] : t.roles.map((r) => ({ principalId: `t${i}`, role: r, businessUnitId: null, inheritance: t.direct ? ('direct_user_and_team' as const) : ('team_only' as const) })),
        ),
      ];
      // owners are users (enabled when records are inserted) and owner teams
      const owners = [...users, ...teams.filter((t) => t.type === 'owner')];
      const account = raw.accountOwners.map((o, i) => {
        const owner = owners[o % owners.length]!;
        return { id: `a${i}`, ownerId: owner.id, owningBusinessUnitId: owner.businessUnitId };
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
      const org: Organization = { ...model, businessUnits: bus, users, teams, assignments, records: { account, product }, shares: [...shares.values()] };
      // fast-check prints counterexamples with this: the readable form, not the model's roles as JSON
      return Object.defineProperty(org, fc.toStringMethod, { value: () => `\n${describeOrganization(org)}\n`, enumerable: false });
    });
}
