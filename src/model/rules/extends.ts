// `extends` must name defined roles and must not loop: a cycle would make a
// role's effective privileges depend on themselves.
import { SYSTEM_ADMINISTRATOR } from '../types.ts';
import { isIdentifier } from '../names.ts';
import { problem, type ModelProblem } from '../problems.ts';
import { entries, items, mapping, type Raw } from '../raw.ts';
import { unknownName } from '../suggest.ts';

function parentsOf(raw: Raw): Map<string, string[]> {
  return new Map(entries(raw.roles).map(([name, role]) => [name, items(mapping(role).extends).filter(isIdentifier)]));
}

/** Every distinct cycle once, each as a path that starts and ends at the same role. */
export function findCycles(parents: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const done = new Set<string>();
  const stack: string[] = [];

  const visit = (role: string) => {
    const open = stack.indexOf(role);
    if (open >= 0) {
      const loop = stack.slice(open);
      // Rotate to start at the smallest name so each cycle is reported once.
      const start = loop.indexOf([...loop].sort()[0]);
      const canonical = [...loop.slice(start), ...loop.slice(0, start)];
      cycles.set(canonical.join('\u0000'), [...canonical, canonical[0]]);
      return;
    }
    if (done.has(role) || !parents.has(role)) return;
    stack.push(role);
    for (const parent of parents.get(role) ?? []) visit(parent);
    stack.pop();
    done.add(role);
  };

  for (const role of [...parents.keys()].sort()) visit(role);
  return [...cycles.values()];
}

export function extendsRules(raw: Raw): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const parents = parentsOf(raw);
  const roleNames = [...parents.keys()].filter((name) => name !== SYSTEM_ADMINISTRATOR);

  for (const [roleName, role] of entries(raw.roles)) {
    items(mapping(role).extends).forEach((parent, i) => {
      const here = ['roles', roleName, 'extends', i];
      if (parent === SYSTEM_ADMINISTRATOR) {
        problems.push(problem(here, `${SYSTEM_ADMINISTRATOR} is built in and cannot be extended; assign it to the user or team instead`));
      } else if (isIdentifier(parent) && !parents.has(parent)) {
        problems.push(problem(here, unknownName(parent, 'a role of the model', roleNames, 'define it under roles')));
      }
    });
  }

  for (const cycle of findCycles(parents)) {
    problems.push(problem(['roles', cycle[0], 'extends'], `extends cycle ${cycle.join(' → ')}; remove one of these extends`));
  }
  return problems;
}
