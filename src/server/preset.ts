// The PostGraphile v5 preset: Amber over the api views and the public rowscope
// functions, each request running as the authenticated user's role.
import type pg from 'pg';
import { makePgService } from 'postgraphile/adaptors/pg';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import type { ServerCatalog } from './catalog.ts';
import { makeMaskError } from './errors.ts';
import { FilterPreset } from './filter.ts';
import { RowscopeInflectionPlugin } from './inflection.ts';
import { limitsPlugin, PRODUCTION_LIMITS } from './limits.ts';
import { PrefixConditionPlugin } from './prefix-condition.ts';
import { ruruHeadersPlugin, type RuruAuthorization } from './ruru.ts';
import { smartTagsPlugin } from './smart-tags.ts';

export interface PresetOptions {
  /**
   * PostGraphile's own pool (the server's login): introspection at start. The
   * requests run on the request pool instead, each as its user
   * (src/server/auth.ts, src/server/session.ts).
   */
  pool: pg.Pool;
  catalog: ServerCatalog;
  production: boolean;
  introspection: boolean;
  ruruAuthorization?: RuruAuthorization;
}

export const GRAPHQL_PATH = '/graphql';

// PostGraphile skips trigger functions (return type `trigger`) but not event
// trigger functions: for rowscope._et_audit_login (sql/250) it printed a long
// "Could not build PgCodec for event_trigger" dump at every start. Such a
// function can never be called from GraphQL, so it is dropped from the
// introspection before any codec is built. (It stays in schema rowscope, where
// the ownership loop of sql/900 and doctor's definer checks cover it.)
const EVENT_TRIGGER_TYPE_OID = '3838';

export const SkipEventTriggersPlugin: GraphileConfig.Plugin = {
  name: 'RowscopeSkipEventTriggersPlugin',
  description: 'leaves event trigger functions out of the introspection',
  version: '0.0.0',
  gather: {
    hooks: {
      pgIntrospection_introspection(_info, event) {
        const procs = event.introspection.procs;
        // In place: PostGraphile announces this same array afterwards.
        for (let i = procs.length - 1; i >= 0; i--) if (procs[i]!.prorettype === EVENT_TRIGGER_TYPE_OID) procs.splice(i, 1);
      },
    },
  },
};

export function makePreset(opts: PresetOptions): GraphileConfig.Preset {
  const { pool, catalog, production, introspection, ruruAuthorization } = opts;
  const apiSchemas = [...new Set(catalog.views.map((v) => v.schema))];
  return {
    extends: [PostGraphileAmberPreset, FilterPreset],
    plugins: [SkipEventTriggersPlugin, RowscopeInflectionPlugin, PrefixConditionPlugin, smartTagsPlugin(catalog), ...(production ? [limitsPlugin({ ...PRODUCTION_LIMITS, introspection })] : []),
      ...(!production && ruruAuthorization ? [ruruHeadersPlugin(ruruAuthorization)] : [])],
    // The database's grants decide what a user may do, per request. Deriving
    // the schema from the grants of whichever login introspects would make it
    // differ between a superuser (tests) and rowscope_authenticator; the smart
    // tags decide what is exposed instead.
    disablePlugins: ['PgRBACPlugin'],
    pgServices: [
      makePgService({
        pool,
        schemas: [...apiSchemas, 'rowscope'],
        pubsub: false,
      }),
    ],
    grafserv: {
      graphqlPath: GRAPHQL_PATH,
      graphiql: !production,
      graphiqlPath: '/',
      graphiqlOnGraphQLGET: false,
      graphqlOverGET: false,
      websockets: false,
      maskError: makeMaskError(production),
    },
    schema: {
      // A naming conflict must fail the start, not silently drop a field.
      dontSwallowErrors: true,
    },
    grafast: {
      // Plans and SQL would be added to every response: never.
      explain: false,
    },
  };
}
