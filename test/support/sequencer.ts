// The order test files start in: the longest first, so that no worker is left
// running a long file alone at the end of a run while the others are idle.
// vitest orders by the durations it cached on this machine (node_modules/.vite),
// and without them (a fresh clone, CI) by file size: the differential files,
// five-line wrappers that run the longest, went last. The list is what a
// fresh-clone run measured (docs/testing.md, "How the suite runs"); every other
// file keeps vitest's own order after them.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const LONGEST_FIRST = [
  'test/integration/differential/rules.test.ts',
  'test/integration/differential/hierarchy.test.ts',
  'test/integration/differential/modern.test.ts',
  'test/integration/differential/fields.test.ts',
  'test/integration/package/tarball.test.ts',
  'test/e2e/console/console.test.ts',
  'test/integration/adversarial/stale-plans.test.ts',
  'test/integration/adversarial/admin-surface.property.test.ts',
  'test/integration/cli/doctor.test.ts',
  'test/integration/cli/doctor-catalog.test.ts',
  'test/integration/explain/fix-property.test.ts',
];

const rank = (spec: TestSpecification) => {
  const i = LONGEST_FIRST.findIndex((path) => spec.moduleId.endsWith(path));
  return i < 0 ? LONGEST_FIRST.length : i;
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    // Array.prototype.sort is stable: the rest keep vitest's order
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
