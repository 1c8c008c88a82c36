// SPEC §2 rule 4 (hierarchy security): a manager, or a user in a higher
// position, reaches what their reports within N levels own (themselves or
// through owner teams) and what is shared with them, with fewer rights the
// further down the report is. That the manager holds the privilege at user
// depth or wider is checked by the caller (evaluate.ts), as for sharing.
import type { Right } from '../model/types.ts';
import { BusinessUnitTree } from './business-units.ts';
import type { HierarchySettings, Organization, RecordRow, User } from './organization.ts';
import { ownerTeamsOf } from './role-scope.ts';
import { sharedReasons } from './sharing.ts';

/** Direct reports give these; levels 2..N give read only; never create, delete, assign or share. */
const LEVEL_ONE_RIGHTS: readonly Right[] = ['read', 'write', 'append', 'append_to'];

export function hierarchyGives(level: number, right: Right): boolean {
  return level === 1 ? LEVEL_ONE_RIGHTS.includes(right) : right === 'read';
}

const trees = new WeakMap<Organization, BusinessUnitTree>();
function treeOf(org: Organization): BusinessUnitTree {
  let tree = trees.get(org);
  if (!tree) trees.set(org, (tree = new BusinessUnitTree(org.businessUnits)));
  return tree;
}

/** Steps from `from` up a parent chain to `to` (0 when equal), or null when `to` is not above within `max` steps. */
function levelUp(from: string, to: string, parentOf: (id: string) => string | null | undefined, max: number): number | null {
  let at: string | null | undefined = from;
  for (let level = 0; at != null && level <= max; level++, at = parentOf(at)) {
    if (at === to) return level;
  }
  return null;
}

/** The users the manager reaches through the hierarchy, each with its level (1 = direct report). */
export function reportsOf(org: Organization, manager: User, h: HierarchySettings): Map<string, number> {
  const reports = new Map<string, number>();
  if (h.model === 'manager') {
    const managerOf = (id: string) => org.users.find((u) => u.id === id)?.managerId;
    for (const p of org.users) {
      if (p.id === manager.id) continue;
      const level = levelUp(p.id, manager.id, managerOf, h.depth);
      if (level === null || level < 1) continue;
      // checked for each (M, P) pair, not along the chain between them
      if (h.managersMustBeInSameOrParentBusinessUnit && !treeOf(org).isWithin(p.businessUnitId, manager.businessUnitId)) continue;
      reports.set(p.id, level);
    }
  } else if (h.model === 'position' && manager.positionId) {
    // crosses BUs and ignores managers; the same position (level 0) gives nothing
    const parentOf = (id: string) => org.positions?.find((q) => q.id === id)?.parentId;
    for (const p of org.users) {
      if (p.id === manager.id || !p.positionId) continue;
      const level = levelUp(p.positionId, manager.positionId, parentOf, h.depth);
      if (level !== null && level >= 1) reports.set(p.id, level);
    }
  }
  return reports;
}

/** Reasons (one per report and path) the hierarchy gives the user the right on the record. */
export function hierarchyReasons(org: Organization, user: User, table: string, right: Right, record: RecordRow): string[] {
  const settings = org.tables[table];
  if (!org.hierarchy || org.hierarchy.model === 'none' || !settings?.hierarchySecurity) return [];
  // a table's own depth overrides the model's (sql/035_hierarchy.sql does the same)
  const h: HierarchySettings = { ...org.hierarchy, depth: settings.hierarchyDepth ?? org.hierarchy.depth };
  const reasons: string[] = [];
  const what = h.model === 'manager' ? 'manager of' : 'in a higher position than';
  for (const [p, level] of reportsOf(org, user, h)) {
    if (!hierarchyGives(level, right)) continue;
    if (record.ownerId === p) reasons.push(`${what} the owner ${p} (level ${level})`);
    else if (record.ownerId !== null && ownerTeamsOf(org, p).includes(record.ownerId)) reasons.push(`${what} ${p} (level ${level}), a member of the owner team ${record.ownerId}`);
    // the share's own rights bound what passes up: sharedReasons matches the right
    for (const why of sharedReasons(org, p, table, record.id, right)) reasons.push(`${what} ${p} (level ${level}): ${why}`);
  }
  return reasons;
}
