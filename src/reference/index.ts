// The reference evaluator of docs/security-model.md (docs/testing.md): the oracle the differential
// tests compare the database against. Plain TypeScript from the rules as docs/security-model.md states them;
// it must never import the compiler or the SQL.
export * from './organization.ts';
export { BusinessUnitTree } from './business-units.ts';
export { modeRefusal } from './access-mode.ts';
export { grantsOf, inScope, ownerTeamsOf, widestDepth, type Grant, type Placement } from './role-scope.ts';
export { sharedReasons } from './sharing.ts';
export { hierarchyGives, hierarchyReasons, reportsOf } from './hierarchy.ts';
export { fieldReasons } from './field-security.ts';
export { Reference, BEYOND_ROLES, type Decision, type Reach } from './evaluate.ts';
export { describeOrganization } from './describe.ts';
// The admin rules ("Security data is guarded too", "No indirect escalation", the admin functions)
export * from './admin-state.ts';
export { decideAdmin, applyAdmin, accessTeamId, defaultTeamId } from './admin.ts';
export { covers, heldDepth, holdsColumn, holdsMisc, isSystemAdministrator, modeAllows, ownsField } from './admin-holdings.ts';
export { escalations, holdingsOf, type Holdings } from './admin-invariant.ts';
export { parentOwnerReasons } from './reparent.ts';
export { cascadeShare, reparentRecord, shareRightsForChild } from './share-inheritance.ts';
export { ownerRefusal, principalDepth } from './assign.ts';
export { defaultTeamOf, moveUser, syncDefaultTeams } from './default-teams.ts';
