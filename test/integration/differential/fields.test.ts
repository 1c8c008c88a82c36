// The differential test of field security (docs/security-model.md): masked secured columns
// of account through profiles (users and teams), field shares and System
// Administrator, and writes to them; see suite.ts.
import { differentialSuite, runsFor } from './suite.ts';

differentialSuite('differential_fields', runsFor(0.15));
