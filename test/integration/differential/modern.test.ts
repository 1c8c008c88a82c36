// The differential test of modernized business units (docs/security-model.md,
// ownershipAcrossBusinessUnits): roles held in other BUs, records whose owning
// BU is not their owner's; see suite.ts.
import { differentialSuite, runsFor } from './suite.ts';

differentialSuite('differential_modern', runsFor(0.15));
