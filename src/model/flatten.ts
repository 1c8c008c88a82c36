// `extends` composes roles: a role holds the union of its own privileges and
// those of every role it extends, transitively, with the widest depth winning
// (docs/reference.md). Assumes a validated model (no unknown parents, no cycles).
import { DEPTHS, PRIVILEGES, type Depth, type PrivilegeDepths } from './types.ts';
import type { ParsedModel } from './schema.ts';

type Role = ParsedModel['roles'][string];
type TablePrivileges = Record<string, PrivilegeDepths>;

const wider = (a: Depth | undefined, b: Depth): Depth =>
  a !== undefined && DEPTHS.indexOf(a) >= DEPTHS.indexOf(b) ? a : b;

function merge(into: TablePrivileges, from: TablePrivileges): void {
  for (const [table, depths] of Object.entries(from)) {
    const target = (into[table] ??= {});
    for (const privilege of PRIVILEGES) {
      const depth = depths[privilege];
      if (depth !== undefined) target[privilege] = wider(target[privilege], depth);
    }
  }
}

/** Tables sorted, privileges in canonical order, `none` and empty tables dropped. */
function tidy(privileges: TablePrivileges): TablePrivileges {
  const out: TablePrivileges = {};
  for (const table of Object.keys(privileges).sort()) {
    const depths: PrivilegeDepths = {};
    for (const privilege of PRIVILEGES) {
      const depth = privileges[table][privilege];
      if (depth !== undefined && depth !== 'none') depths[privilege] = depth;
    }
    if (Object.keys(depths).length) out[table] = depths;
  }
  return out;
}

export interface Flattened {
  effectivePrivileges: TablePrivileges;
  misc: string[];
}

export function flattenRoles(roles: Record<string, Role>): Map<string, Flattened> {
  const done = new Map<string, Flattened>();
  const flatten = (name: string): Flattened => {
    const known = done.get(name);
    if (known) return known;
    const role = roles[name];
    const privileges: TablePrivileges = {};
    const misc = new Set(role.misc);
    merge(privileges, role.privileges);
    for (const parent of role.extends) {
      const inherited = flatten(parent);
      merge(privileges, inherited.effectivePrivileges);
      inherited.misc.forEach((m) => misc.add(m));
    }
    const result = { effectivePrivileges: tidy(privileges), misc: [...misc].sort() };
    done.set(name, result);
    return result;
  };
  for (const name of Object.keys(roles)) flatten(name);
  return done;
}
