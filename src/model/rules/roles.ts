// Rules about a role's privileges and misc privileges, which refer to the
// model's tables and misc privilege declarations.
import { BUILTIN_MISC_PRIVILEGES, BUILTIN_TABLES, DEPTHS, PRIVILEGES, SYSTEM_ADMINISTRATOR } from '../types.ts';
import { isIdentifier } from '../names.ts';
import { problem, type ModelProblem } from '../problems.ts';
import { entries, isOrganizationOwned, items, mapping, type Raw } from '../raw.ts';
import { list, unknownName } from '../suggest.ts';

const isOneOf = (values: readonly string[], value: unknown): value is string =>
  typeof value === 'string' && values.includes(value);

export function roleRules(raw: Raw): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const tables = new Map(entries(raw.tables));
  const tableNames = [...tables.keys(), ...BUILTIN_TABLES];
  const miscNames = [...BUILTIN_MISC_PRIVILEGES, ...items(raw.miscPrivileges).filter(isIdentifier)];

  for (const [roleName, value] of entries(raw.roles)) {
    const role = mapping(value);
    const at = ['roles', roleName];

    if (roleName === SYSTEM_ADMINISTRATOR) {
      problems.push(problem(at, `${SYSTEM_ADMINISTRATOR} is built in (every privilege, organization-wide) and cannot be defined; choose another name`));
    }

    for (const [tableName, depths] of entries(role.privileges)) {
      const here = [...at, 'privileges', tableName];
      if (!tableNames.includes(tableName)) {
        if (isIdentifier(tableName)) {
          problems.push(problem(here, unknownName(tableName, 'a table of the model', tableNames, 'declare it under tables')));
        }
        continue;
      }
      if (!isOrganizationOwned(tables.get(tableName))) continue;
      for (const [privilege, depth] of entries(depths)) {
        if (!isOneOf(PRIVILEGES, privilege) || !isOneOf(DEPTHS, depth) || depth === 'none') continue;
        if (privilege === 'assign' || privilege === 'share') {
          problems.push(problem([...here, privilege], `an organization-owned table has no owner, so records cannot be assigned or shared; use 'none' or remove '${privilege}'`));
        } else if (depth !== 'organization') {
          problems.push(problem([...here, privilege], `'${depth}' is not valid for an organization-owned table; use 'none' or 'organization'`));
        }
      }
    }

    items(role.misc).forEach((name, i) => {
      if (isIdentifier(name) && !miscNames.includes(name)) {
        problems.push(problem([...at, 'misc', i], unknownName(name, 'a misc privilege', miscNames, `use one of ${list(BUILTIN_MISC_PRIVILEGES)} or declare it in miscPrivileges`)));
      }
    });
  }
  return problems;
}
