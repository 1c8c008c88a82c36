// The admin rules of the product contract (docs/security-model.md
// "Security data is guarded too" with its no-indirect-escalation row, "Share",
// "Access teams", "Field security", the admin functions), decided from the
// contract's text — comments marked `contract:` quote it; docs/security-model.md
// states each rule, shortened, with its SQL and tests: whether a caller may make
// an admin call in an organization, and what the call then changes. Written
// independently of the SQL; where the contract is silent the comment says so and
// the rule follows what the SQL does today (sql/07*, sql/110, sql/130, sql/320),
// or the outcome is left open (`either`) when neither fixes it.
//
// Refusals collect every check that fails: the contract rarely fixes the order of
// the checks, so a refusal accepts the SQLSTATE of any failed check; a record
// the caller cannot read is the exception ("reported exactly like one that
// does not exist": 22023 alone).
import type { Right } from '../model/types.ts';
import { type AdminCall, type AdminOrganization, type AdminOutcome, type AdminShare, type AdminSqlState } from './admin-state.ts';
import { covers, heldDepth, holdsColumn, holdsMisc, isSystemAdministrator, modeAllows, ownsField, rankOf } from './admin-holdings.ts';
import { Reference } from './evaluate.ts';
import { defaultTeamOf, moveUser, syncDefaultTeams } from './default-teams.ts';
import { SYSTEM_ADMINISTRATOR, type Team, type User } from './organization.ts';
import type { Placement } from './role-scope.ts';

class Verdict {
  readonly codes = new Set<AdminSqlState>();
  readonly why: string[] = [];
  readonly open: string[] = [];
  refuse(why: string): void {
    this.codes.add('42501');
    this.why.push(why);
  }
  bad(why: string): void {
    this.codes.add('22023');
    this.why.push(why);
  }
  /** a refusal whose SQLSTATE the contract does not fix */
  refuseEither(why: string): void {
    this.codes.add('42501');
    this.codes.add('22023');
    this.why.push(why);
  }
  either(why: string): void {
    this.open.push(why);
  }
  outcome(): AdminOutcome {
    if (this.codes.size > 0) return { kind: 'refused', codes: [...this.codes].sort(), why: this.why };
    if (this.open.length > 0) return { kind: 'either', why: this.open };
    return { kind: 'allowed' };
  }
}

const userAt = (u: User): Placement => ({ ownerId: u.id, owningBusinessUnitId: u.businessUnitId });
const teamAt = (t: Team): Placement => ({ ownerId: t.id, owningBusinessUnitId: t.businessUnitId });
const nowhere: Placement = { ownerId: null, owningBusinessUnitId: null };

function userOf(org: AdminOrganization, id: string): User {
  const u = org.users.find((x) => x.id === id);
  if (!u) throw new Error(`no user ${id}`);
  return u;
}

function teamOf(org: AdminOrganization, id: string): Team | undefined {
  return org.teams.find((t) => t.id === id);
}

/** Whether making `managerId` the manager of `userId` closes a loop. */
function makesCycle(org: AdminOrganization, userId: string, managerId: string): boolean {
  const seen = new Set<string>();
  for (let at: string | null | undefined = managerId; at && !seen.has(at); at = org.users.find((u) => u.id === at)?.managerId) {
    if (at === userId) return true;
    seen.add(at);
  }
  return false;
}

/** The caller's decision for one admin call. */
export function decideAdmin(org: AdminOrganization, callerId: string, call: AdminCall): AdminOutcome {
  const ref = new Reference(org);
  const me = userOf(org, callerId);
  const v = new Verdict();
  const need = (table: string, privilege: 'create' | 'read' | 'write', at: Placement, what: string) => {
    if (!covers(org, ref.tree, me, table, privilege, at)) v.refuse(`${me.id} lacks ${privilege} on ${table} covering ${what}`);
  };
  const holds = (table: string, recordId: string, right: Right) => ref.decide(me.id, table, right, recordId).granted;
  const sa = isSystemAdministrator(org, me);
  const ownField = (table: string, recordId: string, column: string, permission: 'read' | 'update') => ownsField(org, me, table, recordId, column, permission);

  // contract: "Nobody may assign a role holding any privilege at a greater depth than they hold it themselves, unless they are
  // System Administrator". Misc privileges and read on security_role are the SQL's part of it (contract silent): the role is
  // an organization-wide object, so the read must cover no owner and no BU (organization depth).
  const noEscalation = (roleName: string) => {
    if (sa) return;
    if (roleName === SYSTEM_ADMINISTRATOR) {
      v.refuse(`${me.id} is no System Administrator and may not give ${SYSTEM_ADMINISTRATOR}`);
      return;
    }
    need('security_role', 'read', nowhere, `role ${roleName}`);
    const role = org.roles.find((r) => r.name === roleName);
    if (!role) throw new Error(`no role ${roleName}`);
    for (const [table, privileges] of Object.entries(role.privileges)) {
      for (const [privilege, depth] of Object.entries(privileges)) {
        if (!depth || depth === 'none') continue;
        const mine = heldDepth(org, me, table, privilege as never);
        if (rankOf(mine) < rankOf(depth)) v.refuse(`${roleName} gives ${privilege} on ${table} at ${depth}; ${me.id} holds ${mine}`);
      }
    }
    for (const name of role.misc ?? []) if (!holdsMisc(org, me, name)) v.refuse(`${roleName} gives misc ${name}, which ${me.id} does not hold`);
  };

  // contract: add_profile_member needs write on field_security_profile (any depth: profiles are organization-wide, sql/320)
  // and, unless System Administrator, the caller's own holding of each column permission of the profile.
  const profileNeeds = (profileName: string, withColumns: boolean) => {
    if (rankOf(heldDepth(org, me, 'field_security_profile', 'write')) === 0) v.refuse(`${me.id} lacks write on field_security_profile`);
    if (!withColumns || sa) return;
    const profile = org.fieldProfiles?.find((p) => p.name === profileName);
    if (!profile) throw new Error(`no profile ${profileName}`);
    for (const c of profile.columns) {
      for (const permission of c.permissions) {
        if (!holdsColumn(org, me, c.table, c.column, permission)) v.refuse(`${profileName} gives ${permission} on ${c.table}.${c.column}, which ${me.id} does not hold`);
      }
    }
  };

  // Joining a team gives its profiles, shares and field shares: adding a member needs what add_profile_member needs for
  // each profile (contract), and what grant_access / share_field need for each share and field share of the team — the
  // contract's general rule ("no admin call may give any principal — through ... an access team, or a share — a right ...
  // the caller could not have granted directly"; issue 14: "through any path") covers a team's shares as much as its
  // roles and profiles. grant_access needs read (an unreadable record is "no such record"), share and each right given;
  // share_field read and share on the record and the caller's own column permission. No System Administrator exemption:
  // grant_access has none either (an administrative-mode System Administrator holds no business rights).
  const teamHoldingsNeeds = (teamId: string) => {
    for (const m of org.profileMembers ?? []) if (m.principalId === teamId) profileNeeds(m.profile, true);
    for (const s of org.shares) {
      if (s.principalId !== teamId) continue;
      for (const right of new Set<Right>(['read', 'share', ...s.rights])) {
        if (!holds(s.table, s.recordId, right)) v.refuse(`${teamId} holds a share of ${s.table} ${s.recordId}; ${me.id} lacks ${right} there`);
      }
    }
    for (const f of org.fieldShares ?? []) {
      if (f.principalId !== teamId) continue;
      for (const right of ['read', 'share'] as const) {
        if (!holds(f.table, f.recordId, right)) v.refuse(`${teamId} holds a field share of ${f.table} ${f.recordId}; ${me.id} lacks ${right} there`);
      }
      // share_field needs the caller's own read of the column even to share update alone (as in the share_field case below)
      if (!ownField(f.table, f.recordId, f.column, 'read')) v.refuse(`${teamId} holds a field share of ${f.table}.${f.column} of ${f.recordId}; ${me.id} cannot read it`);
      if (f.canUpdate && !ownField(f.table, f.recordId, f.column, 'update')) v.refuse(`${teamId} updates ${f.table}.${f.column} of ${f.recordId} through a field share; ${me.id} does not`);
    }
  };

  // role holders: a user (write on system_user) or an owner team (write on team); an access team holds no roles (22023)
  const principalAdmin = (principalId: string): { user?: User; team?: Team } => {
    const team = teamOf(org, principalId);
    if (team) {
      if (team.type === 'access') v.bad(`${team.id} is an access team; access teams hold no roles`);
      else need('team', 'write', teamAt(team), `team ${team.id}`);
      return { team };
    }
    const user = userOf(org, principalId);
    need('system_user', 'write', userAt(user), `user ${user.id}`);
    return { user };
  };

  // a record the caller cannot read is reported like one that does not exist, before anything else
  const readable = (table: string, recordId: string): boolean => {
    if (holds(table, recordId, 'read')) return true;
    v.bad(`${me.id} cannot read ${table} ${recordId}: no such record`);
    return false;
  };

  // contract: "a record's access team changes only through add/remove_access_team_member" — as the principal of a share
  // or field share it is a bad argument (contract silent on the SQLSTATE and the order; sql/072 checks it first, 22023)
  const recordTeamPrincipal = (principalId: string): boolean => {
    if (!org.recordTeams.some((r) => r.teamId === principalId)) return false;
    v.bad(`${principalId} is a record's access team: use add/remove_access_team_member`);
    return true;
  };

  // contract: "creating or moving a user into a BU confers its default team's roles and profiles, create_user and move_user
  // need that too" — and its shares and field shares, by the general rule, as for any team's new member (teamHoldingsNeeds)
  const defaultTeamNeeds = (businessUnitId: string) => {
    const team = defaultTeamOf(org, businessUnitId);
    if (!team) return;
    for (const a of org.assignments) if (a.principalId === team.id) noEscalation(a.role);
    teamHoldingsNeeds(team.id);
  };

  switch (call.fn) {
    case 'create_business_unit':
      need('business_unit', 'create', { ownerId: null, owningBusinessUnitId: call.parentId }, `BU ${call.parentId}`);
      // contract: "a BU whose name a team already has is refused, 22023" (a default team is named after its BU)
      if (org.teams.some((t) => !org.recordTeams.some((r) => r.teamId === t.id) && (t.isDefault ? t.businessUnitId : t.id) === call.newId)) {
        v.bad(`a team named ${call.newId} exists`);
      }
      break;
    case 'create_user':
      need('system_user', 'create', { ownerId: null, owningBusinessUnitId: call.businessUnitId }, `BU ${call.businessUnitId}`);
      // giving the new user a manager is set_manager's rule (contract silent on create_user; sql/071 asks the same)
      if (call.managerId !== null) need('system_user', 'write', userAt(userOf(org, call.managerId)), `manager ${call.managerId}`);
      defaultTeamNeeds(call.businessUnitId);
      break;
    case 'set_manager': {
      const u = userOf(org, call.userId);
      need('system_user', 'write', userAt(u), `user ${u.id}`);
      if (call.managerId !== null) {
        // contract: "set_manager needs write on system_user covering the user and the new manager"
        need('system_user', 'write', userAt(userOf(org, call.managerId)), `manager ${call.managerId}`);
        if (makesCycle(org, u.id, call.managerId)) v.bad(`${call.managerId} reports to ${u.id}: a cycle`);
      }
      break;
    }
    case 'move_user':
      // contract: "move_user covering the user and the new BU"
      need('system_user', 'write', userAt(userOf(org, call.userId)), `user ${call.userId}`);
      need('system_user', 'write', { ownerId: null, owningBusinessUnitId: call.businessUnitId }, `BU ${call.businessUnitId}`);
      // a move to the BU the user is in changes nothing (contract silent; sql/071 returns after the checks above)
      if (userOf(org, call.userId).businessUnitId !== call.businessUnitId) defaultTeamNeeds(call.businessUnitId);
      break;
    case 'set_access_mode':
    case 'disable_user':
    case 'enable_user':
    case 'set_position':
      need('system_user', 'write', userAt(userOf(org, call.userId)), `user ${call.userId}`);
      break;
    case 'create_position':
      // positions are in no BU and owned by no one (contract silent; sql/035 asks write on system_user covering neither)
      need('system_user', 'write', nowhere, 'a position');
      break;
    case 'create_team':
      need('team', 'create', { ownerId: null, owningBusinessUnitId: call.businessUnitId }, `BU ${call.businessUnitId}`);
      break;
    case 'add_team_member':
    case 'remove_team_member': {
      const team = teamOf(org, call.teamId)!;
      // contract: on a BU's default team or a record's access team this is 22023, checked first
      if (team.isDefault) {
        v.bad(`${team.id} is a default team: its members are its BU's users`);
        return v.outcome();
      }
      if (org.recordTeams.some((r) => r.teamId === team.id)) {
        v.bad(`${team.id} is a record's access team: use add/remove_access_team_member`);
        return v.outcome();
      }
      need('team', 'write', teamAt(team), `team ${team.id}`);
      if (call.fn === 'remove_team_member') break;
      // contract: "adding a member to an owner team needs what assign_role needs for each of the team's roles" (assign_role's
      // write on the principal is on the new member), and what joining any team needs (teamHoldingsNeeds)
      const roles = team.type === 'owner' ? org.assignments.filter((a) => a.principalId === team.id) : [];
      if (roles.length > 0) need('system_user', 'write', userAt(userOf(org, call.userId)), `user ${call.userId}`);
      for (const a of roles) noEscalation(a.role);
      teamHoldingsNeeds(team.id);
      break;
    }
    case 'assign_role': {
      const p = principalAdmin(call.principalId);
      if (p.user && call.inheritance !== 'team_only') v.bad('direct_user_and_team applies to owner teams only');
      noEscalation(call.role);
      // a role applies in the principal's own BU unless ownershipAcrossBusinessUnits lets a user hold it in another
      const own = (p.user ?? p.team)!.businessUnitId;
      if (call.businessUnitId && call.businessUnitId !== own && (p.team || !org.ownershipAcrossBusinessUnits)) {
        v.bad(`${call.principalId} may hold a role in its own BU only`);
      }
      break;
    }
    case 'remove_role': {
      const p = principalAdmin(call.principalId);
      // removing checks escalation too (contract silent; sql/073): one may only take away what one could give
      noEscalation(call.role);
      const bu = (p.user ?? p.team)!.businessUnitId;
      if (!org.assignments.some((a) => a.principalId === call.principalId && a.role === call.role && (a.businessUnitId ?? bu) === bu)) {
        v.bad(`${call.principalId} does not hold ${call.role}`);
      }
      break;
    }
    case 'grant_access':
    case 'modify_access':
      if (recordTeamPrincipal(call.principalId)) return v.outcome();
      if (!readable(call.table, call.recordId)) return v.outcome();
      // contract: share on the record, and the caller must hold every right they grant
      for (const right of new Set<Right>(['share', ...call.rights])) {
        if (!holds(call.table, call.recordId, right)) v.refuse(`${me.id} lacks ${right} on ${call.table} ${call.recordId}`);
      }
      break;
    case 'revoke_access':
    case 'remove_access_team_member':
      if (call.fn === 'revoke_access' && recordTeamPrincipal(call.principalId)) return v.outcome();
      if (!readable(call.table, call.recordId)) return v.outcome();
      if (!holds(call.table, call.recordId, 'share')) v.refuse(`${me.id} lacks share on ${call.table} ${call.recordId}`);
      break;
    case 'assign': {
      if (!readable(call.table, call.recordId)) return v.outcome();
      // assigning a record to its owner changes nothing; what it needs the contract does not say (sql/080 treats it as a
      // plain update: write, not assign)
      if (org.records[call.table]!.find((r) => r.id === call.recordId)!.ownerId === call.newOwnerId) {
        v.either(`${call.recordId} is owned by ${call.newOwnerId} already`);
        break;
      }
      if (!holds(call.table, call.recordId, 'assign')) v.refuse(`${me.id} lacks assign on ${call.table} ${call.recordId}`);
      // contract: the new owner is an enabled user or an owner team holding read on the table at depth >= user
      const team = teamOf(org, call.newOwnerId);
      if (team?.type === 'access') v.refuseEither(`${team.id} is an access team, no owner`);
      else if (team) {
        const depth = org.assignments.filter((a) => a.principalId === team.id)
          .map((a) => (a.role === SYSTEM_ADMINISTRATOR ? 'organization' : org.roles.find((r) => r.name === a.role)!.privileges[call.table]?.read ?? 'none'))
          .reduce((w, d) => Math.max(w, rankOf(d)), 0);
        if (depth === 0) v.refuse(`team ${team.id} holds no read on ${call.table}`);
      } else {
        const owner = userOf(org, call.newOwnerId);
        if (owner.disabled) v.refuseEither(`${owner.id} is disabled`);
        else if (rankOf(heldDepth(org, { ...owner, accessMode: 'read_write' }, call.table, 'read')) === 0) v.refuse(`${owner.id} holds no read on ${call.table}`);
        // whether an administrative owner (who reads nothing of the table) "holds read" the contract does not say
        else if (!modeAllows(owner, call.table, 'read')) v.either(`${owner.id} holds read on ${call.table} only outside its access mode`);
      }
      break;
    }
    case 'add_access_team_member': {
      if (!readable(call.table, call.recordId)) return v.outcome();
      const rights = org.accessTemplates[call.table]![call.template]!;
      // contract: share on the record, the caller holds the template's rights, the member holds each at user depth or wider
      for (const right of new Set<Right>(['share', ...rights])) {
        if (!holds(call.table, call.recordId, right)) v.refuse(`${me.id} lacks ${right} on ${call.table} ${call.recordId}`);
      }
      const member = userOf(org, call.userId);
      for (const right of rights) {
        if (heldDepth(org, member, call.table, right) === 'none') v.refuse(`${member.id} holds no ${right} on ${call.table}`);
      }
      const existing = org.recordTeams.find((r) => r.table === call.table && r.recordId === call.recordId && r.template === call.template);
      if (existing) teamHoldingsNeeds(existing.teamId);
      break;
    }
    case 'add_profile_member':
    case 'remove_profile_member':
      // a record's access team changes only through add/remove_access_team_member (contract); removing a profile only
      // takes away, and stays possible (contract silent; sql/320)
      if (call.fn === 'add_profile_member' && recordTeamPrincipal(call.principalId)) return v.outcome();
      // removing takes nothing anyone could misuse: write on the table alone (contract silent; sql/320)
      profileNeeds(call.profile, call.fn === 'add_profile_member');
      break;
    case 'share_field': {
      if (recordTeamPrincipal(call.principalId)) return v.outcome();
      if (!readable(call.table, call.recordId)) return v.outcome();
      if (!holds(call.table, call.recordId, 'share')) v.refuse(`${me.id} lacks share on ${call.table} ${call.recordId}`);
      // contract: the caller's own read on the column (and update, to share update), on that record
      if (!ownField(call.table, call.recordId, call.column, 'read')) v.refuse(`${me.id} cannot read ${call.table}.${call.column}`);
      if (call.canUpdate && !ownField(call.table, call.recordId, call.column, 'update')) v.refuse(`${me.id} cannot update ${call.table}.${call.column}`);
      break;
    }
  }
  return v.outcome();
}

/** Child records a relationship cascades shares and assigns to (cascade `all`), recursively. */
function childrenOf(org: AdminOrganization, table: string, recordId: string): { table: string; recordId: string }[] {
  return org.links
    .filter((l) => l.parentTable === table && l.parentId === recordId)
    .flatMap((l) => [{ table: l.table, recordId: l.recordId }, ...childrenOf(org, l.table, l.recordId)]);
}

const sameShare = (s: AdminShare, table: string, recordId: string, principalId: string) =>
  s.table === table && s.recordId === recordId && s.principalId === principalId;

/**
 * The direct share and its cascade (docs/security-model.md "Share"): the children get the
 * parent's rights as inherited shares, without a check of the caller's rights
 * on each child — except that a share never gives the caller, or a team the
 * caller belongs to, a right on a record the caller does not already hold
 * there: those principals' cascaded rights are cut to the caller's own on
 * each child (a child left with none gets no share row).
 */
function setShare(before: AdminOrganization, org: AdminOrganization, callerId: string, table: string, recordId: string, principalId: string, rights: Right[] | null): void {
  org.shares = org.shares.filter((s) => !(sameShare(s, table, recordId, principalId) && !s.inheritedFrom));
  if (rights) org.shares.push({ table, recordId, principalId, rights });
  const callersOwn = principalId === callerId || before.teams.some((t) => t.id === principalId && t.members.includes(callerId));
  for (const child of childrenOf(before, table, recordId)) {
    org.shares = org.shares.filter((s) => !(sameShare(s, child.table, child.recordId, principalId) && s.inheritedFrom?.table === table && s.inheritedFrom.recordId === recordId));
    if (!rights) continue;
    // what the caller holds on the child without what this same source cascaded there before (contract silent; sql/110)
    const ref = new Reference(org);
    const given = callersOwn ? rights.filter((r) => ref.decide(callerId, child.table, r, child.recordId).granted) : rights;
    if (given.length > 0) org.shares.push({ table: child.table, recordId: child.recordId, principalId, rights: given, inheritedFrom: { table, recordId } });
  }
}

const inOrder = (rights: Iterable<Right>): Right[] => {
  const set = new Set(rights);
  return (['read', 'write', 'delete', 'append', 'append_to', 'assign', 'share'] as const).filter((r) => set.has(r));
};

/** The organization after an allowed call (a new object takes the call's `newId`). */
export function applyAdmin(before: AdminOrganization, callerId: string, call: AdminCall): AdminOrganization {
  const org: AdminOrganization = structuredClone(before);
  const user = (id: string) => userOf(org, id);
  switch (call.fn) {
    case 'create_business_unit':
      org.businessUnits.push({ id: call.newId, parentId: call.parentId });
      // contract: every BU has its default owner team
      org.teams.push({ id: defaultTeamId(call.newId), businessUnitId: call.newId, type: 'owner', isDefault: true, members: [] });
      break;
    case 'create_user':
      org.users.push({ id: call.newId, businessUnitId: call.businessUnitId, accessMode: call.accessMode, disabled: false, managerId: call.managerId, positionId: null });
      syncDefaultTeams(org);
      break;
    case 'set_manager':
      user(call.userId).managerId = call.managerId;
      break;
    case 'move_user': {
      const u = user(call.userId);
      if (u.businessUnitId === call.businessUnitId) break;
      // contract: the records the user owns follow; the default team membership moves; the user's own role assignments go
      // unless keepRolesOnBusinessUnitChange
      moveUser(org, u.id, call.businessUnitId);
      for (const rows of Object.values(org.records)) for (const r of rows) if (r.ownerId === u.id) r.owningBusinessUnitId = u.businessUnitId;
      break;
    }
    case 'set_access_mode':
      user(call.userId).accessMode = call.accessMode;
      break;
    case 'disable_user':
    case 'enable_user':
      user(call.userId).disabled = call.fn === 'disable_user';
      break;
    case 'create_team':
      org.teams.push({ id: call.newId, businessUnitId: call.businessUnitId, type: call.teamType, members: [] });
      break;
    case 'add_team_member':
    case 'remove_team_member': {
      const t = teamOf(org, call.teamId)!;
      t.members = t.members.filter((m) => m !== call.userId);
      if (call.fn === 'add_team_member') t.members = [...t.members, call.userId].sort();
      break;
    }
    case 'assign_role': {
      // the principal's own BU is stored as none: the assignment follows the principal when it moves
      const own = [...org.users, ...org.teams].find((p) => p.id === call.principalId)!.businessUnitId;
      const bu = call.businessUnitId && call.businessUnitId !== own ? call.businessUnitId : null;
      const held = org.assignments.find((a) => a.principalId === call.principalId && a.role === call.role && a.businessUnitId === bu);
      if (held) held.inheritance = call.inheritance;
      else org.assignments.push({ principalId: call.principalId, role: call.role, businessUnitId: bu, inheritance: call.inheritance });
      break;
    }
    case 'remove_role': {
      const bu = [...org.users, ...org.teams].find((p) => p.id === call.principalId)!.businessUnitId;
      org.assignments = org.assignments.filter((a) => !(a.principalId === call.principalId && a.role === call.role && (a.businessUnitId ?? bu) === bu));
      break;
    }
    case 'create_position':
      (org.positions ??= []).push({ id: call.newId, parentId: call.parentId });
      break;
    case 'set_position':
      user(call.userId).positionId = call.positionId;
      break;
    case 'grant_access':
    case 'modify_access': {
      const existing = org.shares.find((s) => sameShare(s, call.table, call.recordId, call.principalId) && !s.inheritedFrom);
      const rights = inOrder(call.fn === 'grant_access' ? [...(existing?.rights ?? []), ...call.rights] : call.rights);
      setShare(before, org, callerId, call.table, call.recordId, call.principalId, rights);
      break;
    }
    case 'revoke_access':
      setShare(before, org, callerId, call.table, call.recordId, call.principalId, null);
      break;
    case 'assign': {
      const owner = [...org.users, ...org.teams].find((p) => p.id === call.newOwnerId)!;
      if (org.records[call.table]!.find((r) => r.id === call.recordId)!.ownerId === owner.id) break; // no change, no cascade
      // contract: the owning BU moves to the new owner's; the assign cascades; shares stay
      for (const r of [{ table: call.table, recordId: call.recordId }, ...childrenOf(org, call.table, call.recordId)]) {
        const row = org.records[r.table]!.find((x) => x.id === r.recordId)!;
        row.ownerId = owner.id;
        row.owningBusinessUnitId = owner.businessUnitId;
      }
      break;
    }
    case 'add_access_team_member': {
      let rt = org.recordTeams.find((r) => r.table === call.table && r.recordId === call.recordId && r.template === call.template);
      if (!rt) {
        rt = { teamId: accessTeamId(call.table, call.recordId, call.template), table: call.table, recordId: call.recordId, template: call.template };
        org.recordTeams.push(rt);
        const record = org.records[call.table]!.find((r) => r.id === call.recordId)!;
        org.teams.push({ id: rt.teamId, businessUnitId: record.owningBusinessUnitId!, type: 'access', members: [] });
        org.shares.push({ table: call.table, recordId: call.recordId, principalId: rt.teamId, rights: org.accessTemplates[call.table]![call.template]! });
      }
      const team = teamOf(org, rt.teamId)!;
      if (!team.members.includes(call.userId)) team.members = [...team.members, call.userId].sort();
      break;
    }
    case 'remove_access_team_member': {
      const rt = org.recordTeams.find((r) => r.table === call.table && r.recordId === call.recordId && r.template === call.template);
      const team = rt && teamOf(org, rt.teamId);
      if (team) team.members = team.members.filter((m) => m !== call.userId);
      break;
    }
    case 'add_profile_member':
      if (!org.profileMembers!.some((m) => m.profile === call.profile && m.principalId === call.principalId)) {
        org.profileMembers!.push({ profile: call.profile, principalId: call.principalId });
      }
      break;
    case 'remove_profile_member':
      org.profileMembers = org.profileMembers!.filter((m) => !(m.profile === call.profile && m.principalId === call.principalId));
      break;
    case 'share_field': {
      const same = (f: { table: string; recordId: string; column: string; principalId: string }) =>
        f.table === call.table && f.recordId === call.recordId && f.column === call.column && f.principalId === call.principalId;
      org.fieldShares = org.fieldShares!.filter((f) => !same(f));
      if (call.canRead || call.canUpdate) {
        org.fieldShares.push({ table: call.table, recordId: call.recordId, column: call.column, principalId: call.principalId, canRead: call.canRead, canUpdate: call.canUpdate });
      }
      break;
    }
  }
  return org;
}

/** The symbolic id of a BU's default team (the differential organizations' naming). */
export const defaultTeamId = (businessUnitId: string): string => `${businessUnitId}_team`;

/** The symbolic id of a record's access team for a template. */
export const accessTeamId = (table: string, recordId: string, template: string): string => `${template}@${table}:${recordId}`;
