// The closure tables equal the recursive views that define them (docs/architecture.md):
// the access-set helpers read only the closures, so a missing row hides records
// from a manager or BU reader and an extra row shows records to the wrong one.
// Triggers keep them in step; a row changed by hand (or a trigger disabled)
// shows up here as a non-empty symmetric difference.
import { rows, type Lint } from '../context.ts';

interface Closure { table: string; view: string; rebuild: string }

const CLOSURES: Closure[] = [
  {
    table: 'rowscope.bu_closure',
    view: 'rowscope.business_unit_tree',
    // what the business_unit trigger does (sql/020); the BU tree does not decide access classes
    rebuild: 'begin; delete from rowscope.bu_closure; insert into rowscope.bu_closure select * from rowscope.business_unit_tree; commit;',
  },
  {
    table: 'rowscope.manager_closure',
    view: 'rowscope.manager_tree',
    // rebuilds both hierarchy closures and re-derives the classes of everyone they reach (sql/035)
    rebuild: 'select rowscope._rebuild_hierarchy_closures(array(select id from rowscope.system_user))',
  },
  {
    table: 'rowscope.position_closure',
    view: 'rowscope.position_tree',
    rebuild: 'select rowscope._rebuild_hierarchy_closures(array(select id from rowscope.system_user))',
  },
];

export const CLOSURE_LINTS: Lint[] = [
  {
    name: 'closure_out_of_step',
    level: 'error',
    rule: 'rowscope.bu_closure, manager_closure and position_closure hold exactly the rows of their recursive views',
    run: async (ctx) => {
      const found = [];
      for (const c of CLOSURES) {
        // Names from the constant list above, never from input.
        const [diff] = await rows<{ missing: number; extra: number }>(ctx, `
          select (select count(*)::int from (select ancestor_id, descendant_id, distance from ${c.view}
                                             except select ancestor_id, descendant_id, distance from ${c.table}) m) as missing,
                 (select count(*)::int from (select ancestor_id, descendant_id, distance from ${c.table}
                                             except select ancestor_id, descendant_id, distance from ${c.view}) x) as extra`);
        if (!diff || diff.missing + diff.extra === 0) continue;
        found.push({
          object: c.table,
          message: `${c.table} differs from ${c.view}: ${diff.missing} row(s) missing, ${diff.extra} row(s) that should not be there; `
            + 'the access sets read the closure, so users reach the wrong records',
          remedy: c.rebuild,
        });
      }
      return found;
    },
  },
];
