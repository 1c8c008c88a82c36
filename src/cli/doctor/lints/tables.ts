// Model tables and their api views: each table exists with row level security
// enabled and forced (so even its owner is filtered), and each has its api view,
// security_invoker so the policies are chosen by the user's roles (docs/architecture.md).
import { lit } from '../../../sql/index.ts';
import { rows, type Context, type Lint } from '../context.ts';

interface TableState { object: string; state: 'missing' | 'disabled' | 'not_forced' }

async function tableStates(ctx: Context): Promise<TableState[]> {
  return rows<TableState>(ctx, `
    select format('%I.%I', t.data_schema, t.name) as object,
           case when c.oid is null then 'missing' when not c.relrowsecurity then 'disabled' else 'not_forced' end as state
    from rowscope.secured_table t
    left join pg_class c on c.oid = to_regclass(format('%I.%I', t.data_schema, t.name)) and c.relkind in ('r', 'p')
    where c.oid is null or not c.relrowsecurity or not c.relforcerowsecurity
    order by 1`);
}

interface ApiViewState {
  object: string; data_object: string; name: string; data_schema: string; api_schema: string; secured: string[];
  is_view: boolean; invoker: boolean;
}

async function apiViews(ctx: Context): Promise<ApiViewState[]> {
  return rows<ApiViewState>(ctx, `
    select format('%I.%I', t.api_schema, t.name) as object, format('%I.%I', t.data_schema, t.name) as data_object,
           t.name, t.data_schema, t.api_schema, t.secured_columns as secured,
           coalesce(c.relkind = 'v', false) as is_view,
           -- stored as written (yes, on, 1, true...): let PostgreSQL read the boolean
           exists (select from pg_options_to_table(c.reloptions) o
                   where o.option_name = 'security_invoker' and o.option_value::bool) as invoker
    from rowscope.secured_table t
    left join pg_class c on c.oid = to_regclass(format('%I.%I', t.api_schema, t.name))
    order by 1`);
}

export const TABLE_LINTS: Lint[] = [
  {
    name: 'model_table_missing',
    level: 'error',
    rule: 'every table of the model exists',
    run: async (ctx) => (await tableStates(ctx)).filter((t) => t.state === 'missing').map((t) => ({
      object: t.object,
      message: `the model secures ${t.object} but there is no such table`,
      remedy: 'restore the table, or remove it from the model and migrate',
    })),
  },
  {
    name: 'rls_disabled',
    level: 'error',
    rule: 'every model table has row level security enabled',
    run: async (ctx) => (await tableStates(ctx)).filter((t) => t.state === 'disabled').map((t) => ({
      object: t.object,
      message: 'row level security is disabled: every user with a grant on the table sees every row',
      remedy: `alter table ${t.object} enable row level security, force row level security`,
    })),
  },
  {
    name: 'rls_not_forced',
    level: 'error',
    rule: 'every model table has row level security forced (the owner is filtered too)',
    run: async (ctx) => (await tableStates(ctx)).filter((t) => t.state === 'not_forced').map((t) => ({
      object: t.object,
      message: 'row level security is enabled but not forced: the table owner bypasses the policies',
      remedy: `alter table ${t.object} force row level security`,
    })),
  },
  {
    name: 'api_view_missing',
    level: 'error',
    rule: 'every model table has its api view',
    run: async (ctx) => (await apiViews(ctx)).filter((v) => !v.is_view).map((v) => ({
      object: v.object,
      message: `the model table ${v.data_object} has no api view ${v.object}`,
      remedy: `select rowscope._build_api_view(${lit(v.data_schema).text}, ${lit(v.name).text}, ${lit(v.api_schema).text}, ${lit(`{${v.secured.join(',')}}`).text})`,
    })),
  },
  {
    name: 'api_view_not_invoker',
    level: 'warn',
    rule: 'api views are security_invoker (RLS applies with the user\'s roles)',
    run: async (ctx) => (await apiViews(ctx)).filter((v) => v.is_view && !v.invoker).map((v) => ({
      object: v.object,
      message: `${v.object} is not security_invoker: the policies are chosen by the view owner's roles instead of the user's`,
      remedy: `alter view ${v.object} set (security_invoker = true)`,
    })),
  },
];
