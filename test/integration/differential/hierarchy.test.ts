// The differential test of SPEC §2 rule 4 (hierarchy security on account):
// the manager model (depth 2, managers in the same or a parent BU) and the
// position model (depth 3 by default, account's own 2); each organization may
// give account its own depth (1..4, tables.account.hierarchyDepth); see suite.ts.
import { differentialSuite, runsFor } from './suite.ts';

differentialSuite('differential_hierarchy', runsFor(0.15));
differentialSuite('differential_position', runsFor(0.15));
