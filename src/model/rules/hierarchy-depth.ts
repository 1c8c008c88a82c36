// A table's own hierarchy depth (`tables.<t>.hierarchyDepth`, overriding
// `hierarchy.depth` for that table: sql/035_hierarchy.sql) only means something
// where the hierarchy applies to the table; anywhere else it would be silently
// ignored, so it is refused with the fix.
import { problem, type ModelProblem } from '../problems.ts';
import { entries, mapping, type Raw } from '../raw.ts';

export function hierarchyDepthRules(raw: Raw): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const model = mapping(raw.hierarchy).model ?? 'none';
  for (const [name, value] of entries(raw.tables)) {
    const table = mapping(value);
    if (table.hierarchyDepth === undefined) continue;
    const at = ['tables', name, 'hierarchyDepth'];
    if (table.hierarchySecurity !== true) {
      problems.push(problem(at, 'a hierarchy depth applies only to a table with hierarchySecurity: true; set it or remove hierarchyDepth'));
    } else if (model === 'none') {
      problems.push(problem(at, "the model has no hierarchy (hierarchy.model is 'none'); set hierarchy.model to manager or position, or remove hierarchyDepth"));
    }
  }
  return problems;
}
