// SECURITY DEFINER functions in the data, api and rowscope schemas (docs/architecture.md):
// each pins its search_path (or the caller plants objects it resolves) and is
// not executable by PUBLIC (the default for a new function).
import { rows, type Context, type Lint } from '../context.ts';

interface Definer { object: string; pinned: boolean; public: boolean }

async function definers(ctx: Context): Promise<Definer[]> {
  return rows<Definer>(ctx, `
    select p.oid::regprocedure::text as object,
           exists (select from unnest(coalesce(p.proconfig, '{}')) cfg where cfg like 'search_path=%') as pinned,
           exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                   where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where p.prosecdef and n.nspname = any ($1)
    order by 1`, [ctx.schemas]);
}

export const DEFINER_LINTS: Lint[] = [
  {
    name: 'definer_search_path',
    level: 'error',
    rule: 'every SECURITY DEFINER function pins its search_path',
    run: async (ctx) => (await definers(ctx)).filter((f) => !f.pinned).map((f) => ({
      object: `function ${f.object}`,
      message: 'a security-definer function without its own search_path runs with the caller\'s, who can plant objects it resolves',
      remedy: `alter function ${f.object} set search_path = pg_catalog, pg_temp`,
    })),
  },
  {
    name: 'definer_public_execute',
    level: 'error',
    rule: 'no SECURITY DEFINER function is executable by PUBLIC',
    run: async (ctx) => (await definers(ctx)).filter((f) => f.public).map((f) => ({
      object: `function ${f.object}`,
      message: 'PUBLIC may execute this security-definer function (the default for a new function)',
      remedy: `revoke execute on function ${f.object} from public`,
    })),
  },
];
