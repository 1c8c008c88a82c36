// Checks a model as read from a file: the schema (shapes, closed sets, names)
// and the cross-field rules, all in one pass so the user sees every problem.
import { modelSchema, type ParsedModel } from './schema.ts';
import { parseWithProblems } from './schema-problems.ts';
import type { ModelProblem } from './problems.ts';
import { mapping } from './raw.ts';
import { settingsRules } from './rules/settings.ts';
import { tableRules } from './rules/tables.ts';
import { roleRules } from './rules/roles.ts';
import { extendsRules } from './rules/extends.ts';
import { profileRules } from './rules/profiles.ts';
import { hierarchyDepthRules } from './rules/hierarchy-depth.ts';

const RULES = [settingsRules, tableRules, roleRules, extendsRules, profileRules, hierarchyDepthRules];

/** `model` is set only when there are no problems. */
export function validateModel(raw: unknown): { model?: ParsedModel; problems: ModelProblem[] } {
  const parsed = parseWithProblems(modelSchema, raw);
  const problems = [...parsed.problems, ...RULES.flatMap((rule) => rule(mapping(raw)))];
  return problems.length ? { problems } : { model: parsed.data, problems };
}
