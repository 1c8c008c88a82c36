// The differential test of docs/security-model.md rules 1-3 and 5 (roles, depths, teams,
// access modes, sharing, System Administrator) on the base model; see suite.ts.
// The other fixtures run in the files beside this one, in parallel with it.
import { differentialSuite, runsFor } from './suite.ts';

differentialSuite('differential', runsFor(0.4));
