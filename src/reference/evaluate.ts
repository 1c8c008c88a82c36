// The reference evaluator of SPEC §2: what a user may do to a record, decided
// from the rules' text alone (no SQL), so the tests can hold the database to it.
//
// Composition: rule 1 (access mode) gates everything; rule 2 (role scopes,
// with rule 5 as a role of organization depth everywhere) reaches records
// directly; every other way to a record (rule 3 sharing, rule 4 hierarchy:
// BEYOND_ROLES) reaches it only while the user holds the privilege at user
// depth or wider ("access rights apply only after privileges"). Field security
// is a separate question (per column, field-security.ts), asked only of
// records the user can read.
import type { FieldPermission, Right } from '../model/types.ts';
import { RIGHTS } from '../model/types.ts';
import { modeRefusal } from './access-mode.ts';
import { BusinessUnitTree } from './business-units.ts';
import { fieldReasons } from './field-security.ts';
import { hierarchyReasons } from './hierarchy.ts';
import type { Organization, RecordRow, User } from './organization.ts';
import { describeGrant, grantsOf, inScope, type Grant, type Placement } from './role-scope.ts';
import { sharedReasons } from './sharing.ts';
import { parentOwnerReasons } from './reparent.ts';
import { ownerRefusal } from './assign.ts';
import { usable } from './usable.ts';

export interface Decision {
  granted: boolean;
  /** why it is granted (every path that grants it), or why not */
  reasons: string[];
}

/** A way to a record that is not a role's scope; returns a reason per path found. */
export type Reach = (org: Organization, user: User, table: string, right: Right, record: RecordRow) => string[];

const sharing: Reach = (org, user, table, right, record) => sharedReasons(org, user.id, table, record.id, right);

const hierarchy: Reach = hierarchyReasons;

const parentOwner: Reach = parentOwnerReasons;

/** Rules 3 and 4 of SPEC §2, in that order, then Reparent's read for the parent's owner. */
export const BEYOND_ROLES: readonly Reach[] = [sharing, hierarchy, parentOwner];

export class Reference {
  readonly tree: BusinessUnitTree;

  constructor(readonly org: Organization) {
    this.tree = new BusinessUnitTree(org.businessUnits);
  }

  user(id: string): User | undefined {
    return this.org.users.find((u) => u.id === id);
  }

  record(table: string, id: string): RecordRow {
    const row = this.org.records[table]?.find((r) => r.id === id);
    if (!row) throw new Error(`no record ${id} in ${table}`);
    return row;
  }

  /**
   * Whether the user may exercise the right on the record, and why: a right
   * that needs read on the record (usable.ts) counts only with read.
   */
  decide(userId: string, table: string, right: Right, recordId: string): Decision {
    return usable(this.held(userId, table, right, recordId), right, () => this.held(userId, table, 'read', recordId));
  }

  /** Whether the user holds the right on the record by the rules (rules 1-5), usable or not. */
  held(userId: string, table: string, right: Right, recordId: string): Decision {
    const record = this.record(table, recordId);
    const gate = this.gate(userId, table, right);
    if ('refused' in gate) return gate.refused;
    const { user, grants } = gate;
    const scoped = grants.filter((g) => inScope(g, record, this.tree));
    if (scoped.length > 0) return { granted: true, reasons: scoped.map(describeGrant) };
    // every grant here has depth >= user, which is what sharing and hierarchy need
    const beyond = BEYOND_ROLES.flatMap((reach) => reach(this.org, user, table, right, record));
    if (beyond.length > 0) return { granted: true, reasons: beyond };
    return { granted: false, reasons: [`${grants.map(describeGrant).join('; ')}; it does not reach ${recordId} (owner ${record.ownerId ?? '-'}, BU ${record.owningBusinessUnitId ?? '-'})`] };
  }

  /** The rights the user holds on the record. */
  rights(userId: string, table: string, recordId: string): Set<Right> {
    return new Set(RIGHTS.filter((r) => this.decide(userId, table, r, recordId).granted));
  }

  /** Ids of the records of the table the user may read. */
  visible(userId: string, table: string): string[] {
    return (this.org.records[table] ?? []).filter((r) => this.decide(userId, table, 'read', r.id).granted).map((r) => r.id);
  }

  /**
   * Field security on a record: whether the user may read (else sees NULL) or
   * update the secured column of a record they can read (update also needs
   * write on the record). Unsecured columns go by the record alone.
   */
  field(userId: string, table: string, column: string, recordId: string, permission: Exclude<FieldPermission, 'create'>): Decision {
    const row = this.decide(userId, table, permission === 'read' ? 'read' : 'write', recordId);
    if (!row.granted) return row;
    const reasons = fieldReasons(this.org, userId, table, column, recordId, permission);
    if (reasons.length > 0) return { granted: true, reasons };
    return { granted: false, reasons: [`no field security profile, field share or System Administrator role gives ${permission} on ${table}.${column}`] };
  }

  /**
   * SPEC §2 Create: `create` at a depth whose scope contains the new record's
   * owner and owning BU (both null on an organization-owned table). Shares and
   * hierarchy cannot reach a record that does not exist yet. Whether the owner
   * is a valid one (an enabled user or an owner team) is argument checking,
   * not access: callers pass valid owners.
   */
  canCreate(userId: string, table: string, ownerId: string | null, owningBusinessUnitId: string | null): Decision {
    const gate = this.gate(userId, table, 'create');
    if ('refused' in gate) return gate.refused;
    const at: Placement = { ownerId, owningBusinessUnitId };
    const scoped = gate.grants.filter((g) => inScope(g, at, this.tree));
    if (scoped.length > 0) return { granted: true, reasons: scoped.map(describeGrant) };
    return { granted: false, reasons: [`${gate.grants.map(describeGrant).join('; ')}; it does not cover owner ${ownerId ?? '-'} in BU ${owningBusinessUnitId ?? '-'}`] };
  }

  /**
   * SPEC §2 Assign of the record to a new owner (an enabled user or an owner
   * team: callers pass valid owners): `assign` on the record, and the new
   * owner's read on the table at user depth or wider.
   */
  canAssign(userId: string, table: string, recordId: string, newOwnerId: string): Decision {
    const d = this.decide(userId, table, 'assign', recordId);
    if (!d.granted) return d;
    const refusal = ownerRefusal(this.org, newOwnerId, table);
    return refusal ? { granted: false, reasons: [refusal] } : d;
  }

  /** Rule 1, then "a privilege at depth > none from at least one role assignment". */
  private gate(userId: string, table: string, privilege: Right | 'create'): { refused: Decision } | { user: User; grants: Grant[] } {
    if (!(table in this.org.tables)) throw new Error(`no table ${table}`);
    const user = this.user(userId);
    if (!user) return { refused: { granted: false, reasons: [`${userId} is no user`] } };
    const refusal = modeRefusal(user, privilege);
    if (refusal) return { refused: { granted: false, reasons: [refusal] } };
    const grants = grantsOf(this.org, user, table, privilege);
    if (grants.length === 0) return { refused: { granted: false, reasons: [`no role grants ${privilege} on ${table}`] } };
    return { user, grants };
  }
}
