// From an already-read object (YAML, JSON or a config module's export) to the
// normalised Model, or a ModelError listing every problem.
import type { Model } from './types.ts';
import { ModelError } from './errors.ts';
import { normalizeModel } from './normalize.ts';
import { validateModel } from './validate.ts';

/** `file` only labels the problems; nothing is read. */
export function parseModel(raw: unknown, file: string): Model {
  const { model, problems } = validateModel(raw);
  if (!model) throw new ModelError(problems.map((p) => ({ file, ...p })));
  return normalizeModel(model);
}
