// The `filter` argument of every connection (postgraphile-plugin-connection-filter),
// cut down to the operators whose behaviour under row-level security we can
// state (docs/graphql.md, "Filters").
//
// Under RLS PostgreSQL may evaluate a user's qual before the policy quals, and
// so use it as an index condition, only if the operator's function is
// leakproof. The comparisons of text, uuid, integers, dates, timestamps and
// booleans are; numeric's are not (they run after the policy, without index,
// yet still only over rows the user may read); `lower()`, LIKE and ILIKE are
// not either. So:
// * kept: isNull, equalTo, notEqualTo, distinctFrom, notDistinctFrom, in,
//   notIn, lessThan(OrEqualTo), greaterThan(OrEqualTo), and/or/not;
// * replaced: the plugin's `startsWith` is `LIKE 'abc%'` (not leakproof, and
//   `%`/`_` are wildcards); ours is `^@` (leakproof starts_with, the same as
//   condition's <column>StartsWith in src/server/prefix-condition.ts);
// * left out: includes/endsWith/like and every *Insensitive variant (no index
//   under RLS, a full pattern match per visible row), the jsonb, inet, range
//   and array operators, filters through relations, computed columns and
//   setof functions (each a way to make one request scan far more than it
//   returns).
//
// Secured columns need nothing special: the api view exposes their masked
// expression (sql/620_ddl_api_view.sql), so a filter compares what the user
// would read (NULL where they may not), never the stored value.
import { TYPES, type PgCodec } from 'postgraphile/@dataplan/pg';
import { sql, type SQL } from 'postgraphile/pg-sql2';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';

/** The plugin's operators that stay (every other one is left out of the schema). */
export const FILTER_OPERATORS = [
  'isNull',
  'equalTo',
  'notEqualTo',
  'distinctFrom',
  'notDistinctFrom',
  'in',
  'notIn',
  'lessThan',
  'lessThanOrEqualTo',
  'greaterThan',
  'greaterThanOrEqualTo',
] as const;

// text and varchar compare as text directly; the other String codecs (char,
// name, citext) are cast, so citext is matched case sensitively as the
// operator's description says.
const TEXT_CODECS: ReadonlySet<PgCodec> = new Set<PgCodec>([TYPES.text, TYPES.varchar]);

export const StartsWithFilterPlugin: GraphileConfig.Plugin = {
  name: 'RowscopeStartsWithFilterPlugin',
  description: 'filter: { <column>: { startsWith } } compiled to the leakproof ^@',
  version: '0.1.0',
  after: ['AddConnectionFilterOperatorPlugin'],
  schema: {
    hooks: {
      init(_, build) {
        build.addConnectionFilterOperator('String', 'startsWith', {
          description: 'Starts with the specified string (case sensitive; `%` and `_` are literal).',
          resolveInputCodec: () => TYPES.text,
          resolveSqlIdentifier: (identifier: SQL, codec: PgCodec) =>
            [TEXT_CODECS.has(codec) ? identifier : sql`${identifier}::text`, TYPES.text] as const,
          // the value is a bound parameter ($n::text), never spliced into the text
          resolve: (identifier: SQL, value: SQL) => sql`${identifier} ^@ ${value}`,
        });
        return _;
      },
    },
  },
};

export const FilterPreset: GraphileConfig.Preset = {
  extends: [PostGraphileConnectionFilterPreset],
  plugins: [StartsWithFilterPlugin],
  // v4.0.1 ignores connectionFilterRelations (its preset always loads these two)
  disablePlugins: ['PgConnectionArgFilterBackwardRelationsPlugin', 'PgConnectionArgFilterForwardRelationsPlugin'],
  schema: {
    connectionFilterAllowedOperators: [...FILTER_OPERATORS],
    connectionFilterArrays: false,
    connectionFilterComputedColumns: false,
    connectionFilterSetofFunctions: false,
    connectionFilterLogicalOperators: true,
  },
};
