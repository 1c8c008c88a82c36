import type { Model } from '../model/types.ts';
import type { Sql } from '../sql/index.ts';
import { setupSteps } from './setup.ts';
import { downs, ups } from './step.ts';

export { catalogOf } from './catalog.ts';
export { compileChange } from './diff.ts';
export { classPlaceholder, classesOf } from './names.ts';
export { setupSteps } from './setup.ts';
export type { Step } from './step.ts';

/** The statements that secure a database for the model (after the core schema). */
export function compileSetup(model: Model): Sql[] {
  return ups(setupSteps(model));
}

/** The statements that undo compileSetup, keeping data and system columns: each step's down, last step first. */
export function compileTeardown(model: Model): Sql[] {
  return downs(setupSteps(model));
}
