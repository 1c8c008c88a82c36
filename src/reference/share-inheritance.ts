// docs/security-model.md Share and Reparent: a child under a shared parent holds
// the parent's cascading shares as inherited shares (marked with their source),
// and when its lookup moves to another parent those inherited from the old
// parent go and the new parent's come, as the relationship's `reparent`
// cascade says (none: nothing comes; user_owned: only when the child's owner
// owns the new parent; all and active: always, rowscope having no record
// state). What one share passes on is all its rights, except a sharer's share
// with themselves or a team they belong to, which passes on only the rights the
// sharer already holds on the child (no share gives its sharer more than they
// had: issue 14 F14). The SQL is sql/140_relationships.sql
// (_inherit_parent_shares) and sql/110_sharing.sql (_cascade_share).
import { RIGHTS, type Right, type ShareCascade } from '../model/types.ts';
import { Reference } from './evaluate.ts';
import type { Organization, RecordRow, Share } from './organization.ts';

const inheritedFrom = (s: Share, table: string, recordId: string) => s.inheritedFrom?.table === table && s.inheritedFrom.recordId === recordId;

function findRecord(org: Organization, table: string, recordId: string): RecordRow {
  const row = org.records[table]?.find((r) => r.id === recordId);
  if (!row) throw new Error(`no record ${recordId} in ${table}`);
  return row;
}

/** Whether the share is the sharer's own: made with themselves or with a team they are a member of. */
function isOwnShare(org: Organization, principalId: string, sharedBy: string | null | undefined): sharedBy is string {
  if (!sharedBy) return false;
  return principalId === sharedBy || org.teams.some((t) => t.id === principalId && t.members.includes(sharedBy));
}

/** The rights of a share (to `principalId`, made by `sharedBy`) that reach the child record. */
export function shareRightsForChild(org: Organization, principalId: string, rights: readonly Right[], sharedBy: string | null | undefined, table: string, recordId: string): Right[] {
  if (!isOwnShare(org, principalId, sharedBy)) return [...rights];
  const reference = new Reference(org);
  return rights.filter((r) => reference.decide(sharedBy, table, r, recordId).granted);
}

/** The children of a record that a share (or, with `unshare`, a removed share) of it reaches, per relationship. */
function cascadeChildren(org: Organization, table: string, recordId: string, option: 'share' | 'unshare'): { table: string; id: string }[] {
  const parentOwner = findRecord(org, table, recordId).ownerId;
  const out: { table: string; id: string }[] = [];
  for (const childTable of Object.keys(org.tables).sort()) {
    const settings = org.tables[childTable]!;
    const relationships = [...(settings.relationships ?? [])].filter((r) => r.references === table).sort((a, b) => (a.column < b.column ? -1 : 1));
    for (const rel of relationships) {
      const mode: ShareCascade = rel[option] ?? 'all';
      if (mode === 'none') continue;
      for (const child of org.records[childTable] ?? []) {
        if (child.parents?.[rel.column] !== recordId) continue;
        if (mode === 'user_owned' && settings.ownership === 'user' && child.ownerId !== parentOwner) continue;
        out.push({ table: childTable, id: child.id });
      }
    }
  }
  return out;
}

/**
 * A share of (table, record) with the principal set to `rights` (null: removed)
 * passed down to the children it cascades to, recursively: each child's share
 * inherited from this record for the principal is replaced.
 */
export function cascadeShare(org: Organization, table: string, recordId: string, principalId: string, rights: Right[] | null, sharedBy: string | null): void {
  for (const child of cascadeChildren(org, table, recordId, rights === null ? 'unshare' : 'share')) {
    org.shares = org.shares.filter((s) => !(s.table === child.table && s.recordId === child.id && s.principalId === principalId && inheritedFrom(s, table, recordId)));
    const passed = rights === null ? null : shareRightsForChild(org, principalId, rights, sharedBy, child.table, child.id);
    if (passed && passed.length > 0) {
      org.shares.push({ table: child.table, recordId: child.id, principalId, rights: passed, inheritedFrom: { table, recordId }, sharedBy });
    }
    cascadeShare(org, child.table, child.id, principalId, passed, sharedBy);
  }
}

/**
 * Moves the child record's lookup `column` to `parentId` (null: no parent) and
 * applies share inheritance (docs/security-model.md Reparent). Changes `org` in place.
 * The parent owner's read needs nothing here: it is computed from the current
 * parent (reparent.ts).
 */
export function reparentRecord(org: Organization, table: string, recordId: string, column: string, parentId: string | null): void {
  const rel = org.tables[table]?.relationships?.find((r) => r.column === column);
  if (!rel) throw new Error(`${table}.${column} is no relationship`);
  const record = findRecord(org, table, recordId);
  const previous = record.parents?.[column] ?? null;
  record.parents = { ...record.parents, [column]: parentId };
  // inheritance is kept on user-owned tables only (their after-change trigger)
  if (previous === parentId || org.tables[table]!.ownership !== 'user') return;

  if (previous !== null) {
    const gone = org.shares.filter((s) => s.table === table && s.recordId === recordId && inheritedFrom(s, rel.references, previous));
    org.shares = org.shares.filter((s) => !gone.includes(s));
    for (const s of gone) cascadeShare(org, table, recordId, s.principalId, null, null);
  }
  if (parentId === null || rel.reparent === 'none') return;
  if (rel.reparent === 'user_owned' && findRecord(org, rel.references, parentId).ownerId !== record.ownerId) return;

  // What each principal's shares of the new parent pass on, all judged on the
  // organization as it is before any of them is added.
  const sources = org.shares.filter((s) => s.table === rel.references && s.recordId === parentId);
  const inherited = [...new Set(sources.map((s) => s.principalId))].sort().map((principalId) => {
    const rows = sources.filter((s) => s.principalId === principalId);
    const passed = new Set(rows.flatMap((s) => shareRightsForChild(org, principalId, s.rights, s.sharedBy, table, recordId)));
    // a sharer's own share first: what it passes on further is filtered again
    const sharedBy = (rows.find((s) => isOwnShare(org, principalId, s.sharedBy)) ?? rows[0]!).sharedBy ?? null;
    return { principalId, rights: RIGHTS.filter((r) => passed.has(r)), sharedBy };
  });
  for (const { principalId, rights, sharedBy } of inherited) {
    if (rights.length === 0) continue;
    org.shares.push({ table, recordId, principalId, rights, inheritedFrom: { table: rel.references, recordId: parentId }, sharedBy });
    cascadeShare(org, table, recordId, principalId, rights, sharedBy);
  }
}
