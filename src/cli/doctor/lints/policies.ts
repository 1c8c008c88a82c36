// Policies on model tables filter only on indexed columns (docs/architecture.md): the
// planner decides at plan time whether an RLS arm can use an index, and an arm
// on a column no index leads with turns every user's page into a full scan.
//
// The columns come from pg_depend, where PostgreSQL records every column a
// policy's USING and WITH CHECK expressions reference (the same information
// pg_get_expr prints as text, without parsing that text: quoted names, string
// literals such as 'read' and function names need no guessing). The
// expression itself is shown in the message.
import { rows, type Lint } from '../context.ts';

interface Unindexed { object: string; table_name: string; column_name: string; policies: string[]; expression: string }

// rowscope's own policies print as several hundred characters; the column and
// the policy names are what a person acts on.
const shorten = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}...` : text);

export const POLICY_LINTS: Lint[] = [
  {
    name: 'policy_column_not_indexed',
    level: 'error',
    rule: 'every column a policy on a model table references leads some index',
    run: async (ctx) => {
      const found = await rows<Unindexed>(ctx, `
        with policy_column as (
          select format('%I on %s', pol.polname, pol.polrelid::regclass) as policy, d.refobjid as relid, d.refobjsubid as attnum,
                 concat_ws(' ', 'using ' || pg_get_expr(pol.polqual, pol.polrelid), 'with check ' || pg_get_expr(pol.polwithcheck, pol.polrelid)) as expression
          from rowscope.secured_table t
          join pg_policy pol on pol.polrelid = to_regclass(format('%I.%I', t.data_schema, t.name))
          join pg_depend d on d.classid = 'pg_policy'::regclass and d.objid = pol.oid
                          and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
          join pg_class rc on rc.oid = d.refobjid and rc.relkind in ('r', 'p', 'm')
        )
        select format('%s.%I', pc.relid::regclass, a.attname) as object, pc.relid::regclass::text as table_name,
               quote_ident(a.attname) as column_name,
               array_agg(distinct pc.policy order by pc.policy) as policies, (array_agg(pc.expression order by pc.policy))[1] as expression
        from policy_column pc
        join pg_attribute a on a.attrelid = pc.relid and a.attnum = pc.attnum and not a.attisdropped
        -- a partial index serves only queries that imply its predicate, so it does not count
        where not exists (select from pg_index i
                          where i.indrelid = pc.relid and i.indkey[0] = pc.attnum and i.indisvalid and i.indpred is null)
        group by 1, 2, 3
        order by 1`);
      return found.map((f) => ({
        object: f.object,
        message: `${f.policies.length === 1 ? 'policy' : 'policies'} ${f.policies.join(', ')} filter on ${f.column_name}, `
          + `which no index leads with, so every query under them scans ${f.table_name} (${f.policies[0]}: ${shorten(f.expression)})`,
        remedy: `create index concurrently on ${f.table_name} (${f.column_name})`,
      }));
    },
  },
];
