import type { Sql } from '../sql/index.ts';

// A compile step and its undo as one object, the way node-pg-migrate pairs each
// operation with its down: whoever adds what a migration sets up writes, in the
// same place, what takes it off, so setup and teardown cannot drift apart. A
// first migration's Up is its steps' `up` in order and its Down their `down` in
// reverse order (src/compile/setup.ts); a model change undoes and redoes the
// steps of what changed (src/compile/diff.ts).
// test/integration/catalog/steps.test.ts applies each step's up and then its
// down on a real database and checks that the catalog is as before.
export interface Step {
  /** what the step sets up, for people and test names */
  name: string;
  up: Sql[];
  /** undoes `up`, leaving data and system columns; empty only with `keeps` */
  down: Sql[];
  /** why `down` leaves what `up` made (it outlives the database's use of it, or is data) */
  keeps?: string;
}

export function ups(steps: readonly Step[]): Sql[] {
  return steps.flatMap((s) => s.up);
}

/** The downs in reverse order: the last step set up is the first undone. */
export function downs(steps: readonly Step[]): Sql[] {
  return [...steps].reverse().flatMap((s) => s.down);
}
