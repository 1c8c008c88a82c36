// Rules about one table that depend on its ownership or on other tables.
import { BUILTIN_TABLES, RESERVED_API_VIEWS, SYSTEM_COLUMNS } from '../types.ts';
import { isIdentifier } from '../names.ts';
import { problem, type ModelProblem } from '../problems.ts';
import { entries, isOrganizationOwned, items, mapping, type Raw } from '../raw.ts';
import { unknownName } from '../suggest.ts';

const isSystemColumn = (column: unknown) => (SYSTEM_COLUMNS as readonly unknown[]).includes(column);

export function tableRules(raw: Raw): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const tableNames = entries(raw.tables).map(([name]) => name);

  for (const [name, value] of entries(raw.tables)) {
    const table = mapping(value);
    const at = ['tables', name];
    const orgOwned = isOrganizationOwned(table);

    if ((BUILTIN_TABLES as readonly string[]).includes(name)) {
      problems.push(problem(at, `'${name}' is a built-in rowscope table (its privileges guard security data); rename the model table`));
    } else if ((RESERVED_API_VIEWS as readonly string[]).includes(name)) {
      problems.push(problem(at, `'${name}' is the name of a rowscope view in the api schema (security data or audit history); rename the model table`));
    }

    items(table.securedColumns).forEach((column, i) => {
      if (isSystemColumn(column)) {
        problems.push(problem([...at, 'securedColumns', i], `'${String(column)}' is a system column; system columns cannot be secured, remove it`));
      }
    });

    // An organization-owned record has no owner, so there is nobody above
    // whom a manager could be, and nothing to share or assign.
    if (orgOwned && table.hierarchySecurity === true) {
      problems.push(problem([...at, 'hierarchySecurity'], 'hierarchy security needs a user-owned table; set hierarchySecurity: false or ownership: user'));
    }
    if (orgOwned) {
      for (const [template] of entries(table.accessTeamTemplates)) {
        problems.push(problem([...at, 'accessTeamTemplates', template], 'access teams share records, and organization-owned records cannot be shared; remove the template or use ownership: user'));
      }
    }

    const firstUse = new Map<string, number>();
    items(table.relationships).forEach((value, i) => {
      const relationship = mapping(value);
      const here = [...at, 'relationships', i];
      const { column, references } = relationship;
      if (isSystemColumn(column)) {
        problems.push(problem([...here, 'column'], `'${String(column)}' is a system column maintained by rowscope; name the table's own lookup column`));
      } else if (typeof column === 'string') {
        const first = firstUse.get(column);
        if (first !== undefined) {
          problems.push(problem([...here, 'column'], `'${column}' is already declared by relationships[${first}]; declare each lookup column once`));
        } else {
          firstUse.set(column, i);
        }
      }
      if (isIdentifier(references) && !tableNames.includes(references)) {
        problems.push(problem([...here, 'references'], unknownName(references, 'a table of the model', tableNames, 'declare it under tables')));
      }
    });
  }
  return problems;
}
