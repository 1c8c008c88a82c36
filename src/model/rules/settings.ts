// Model-wide settings that the schema alone cannot check.
import { problem, type ModelProblem } from '../problems.ts';
import type { Raw } from '../raw.ts';

// `rowscope` holds the catalog and functions; pg_* and information_schema
// belong to PostgreSQL.
function reservedSchema(name: string): boolean {
  return name === 'rowscope' || name === 'information_schema' || name.startsWith('pg_');
}

export function settingsRules(raw: Raw): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const dataSchema = raw.dataSchema ?? 'app';
  const apiSchema = raw.apiSchema ?? 'api';
  for (const [key, value] of [['dataSchema', dataSchema], ['apiSchema', apiSchema]] as const) {
    if (typeof value === 'string' && reservedSchema(value)) {
      problems.push(problem([key], `'${value}' is reserved for ${value === 'rowscope' ? 'rowscope itself' : 'PostgreSQL'}; choose another schema`));
    }
  }
  if (typeof dataSchema === 'string' && dataSchema === apiSchema) {
    problems.push(problem(['apiSchema'], `the api views need their own schema, not the data schema '${dataSchema}'; use e.g. 'api'`));
  }
  return problems;
}
