// A field security profile grants permissions on secured columns only: a
// column that is not secured is readable by everyone anyway, so naming it
// in a profile is a mistake (usually a missing securedColumns entry).
import { isIdentifier } from '../names.ts';
import { problem, type ModelProblem } from '../problems.ts';
import { entries, items, mapping, type Raw } from '../raw.ts';
import { unknownName } from '../suggest.ts';

export function profileRules(raw: Raw): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const tables = new Map(entries(raw.tables));
  const tableNames = [...tables.keys()];

  for (const [profile, columns] of entries(raw.fieldSecurityProfiles)) {
    for (const [key] of entries(columns)) {
      const [tableName, column, ...rest] = key.split('.');
      if (rest.length || !isIdentifier(tableName) || !isIdentifier(column)) continue; // the schema reports the key
      const here = ['fieldSecurityProfiles', profile, key];
      if (!tables.has(tableName)) {
        problems.push(problem(here, unknownName(tableName, 'a table of the model', tableNames, 'declare it under tables')));
        continue;
      }
      const secured = items(mapping(tables.get(tableName)).securedColumns);
      if (!secured.includes(column)) {
        problems.push(problem(here, `'${column}' is not a secured column of ${tableName}; add it to tables.${tableName}.securedColumns`));
      }
    }
  }
  return problems;
}
