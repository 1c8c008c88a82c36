// `condition: { nameStartsWith: "abc" }` on every connection over an api view:
// one `<column>StartsWith` field per text/varchar column of a condition type,
// compiled to `<column> ^@ 'abc'` (starts_with).
//
// Why `^@` and never LIKE: under RLS the planner may evaluate a user's qual
// before the policy quals (and so inside an index scan) only if its functions
// are leakproof. `textlike` is not (and must not be marked so), so
// `name LIKE 'abc%'` runs as a Filter after the policy for every reader below
// organization depth; `^@` is leakproof and keeps its index (a btree with
// text_pattern_ops or the C collation), measured at 0.9–1.1× a hand-written
// query (docs/architecture.md). It also takes `%` and `_` literally, so there is nothing
// to escape.
//
// Secured columns need no special case: the api view exposes their masked
// value, so a prefix can only match what the reader would see anyway.
import { TYPES, sqlValueWithCodec, type PgCodec, type PgCodecWithAttributes, type PgCondition } from 'postgraphile/@dataplan/pg';
import { sql } from 'postgraphile/pg-sql2';

declare global {
  namespace GraphileBuild {
    interface Inflection {
      /** `nameStartsWith`: the prefix condition field of a text column. */
      attributeStartsWith(this: Inflection, details: { attributeName: string; codec: PgCodecWithAttributes }): string;
    }
  }
}

// citext is left out: `citext ^@ text` casts to text and would compare case
// sensitively, unlike every other citext comparison.
const PREFIX_CODECS: ReadonlySet<PgCodec> = new Set<PgCodec>([TYPES.text, TYPES.varchar]);

export const PrefixConditionPlugin: GraphileConfig.Plugin = {
  name: 'RowscopePrefixConditionPlugin',
  description: 'adds <column>StartsWith (compiled to the leakproof ^@) to condition types',
  version: '0.1.0',
  after: ['PgAttributesPlugin', 'PgConditionArgumentPlugin', 'RowscopeInflectionPlugin'],
  inflection: {
    add: {
      attributeStartsWith(_options, details) {
        return `${this.attribute(details)}StartsWith`;
      },
    },
  },
  schema: {
    hooks: {
      GraphQLInputObjectType_fields(fields, build, context) {
        const { scope: { isPgCondition, pgCodec }, fieldWithHooks } = context;
        // Polymorphic codecs would need their common attributes only; the api
        // views have none, so they are simply not given prefix fields.
        if (!isPgCondition || !pgCodec?.attributes || pgCodec.isAnonymous || pgCodec.polymorphism) return fields;
        const codec = pgCodec as PgCodecWithAttributes;
        let extended = fields;
        for (const [attributeName, attribute] of Object.entries(codec.attributes)) {
          if (!PREFIX_CODECS.has(attribute.codec) || attribute.via) continue;
          // A column hidden from `condition` (smart tags) gets no prefix field either.
          if (!build.behavior.pgCodecAttributeMatches([codec, attributeName], 'condition:attribute:filterBy')) continue;
          const fieldName = build.inflection.attributeStartsWith({ attributeName, codec });
          extended = build.extend(extended, {
            [fieldName]: fieldWithHooks({ fieldName, pgCodec: codec, pgAttribute: attribute, isPgConnectionConditionInputField: true }, {
              description: build.wrapDescription(
                `Checks that the object’s \`${build.inflection.attribute({ attributeName, codec })}\` starts with this string (case sensitive; \`%\` and \`_\` are literal).`,
                'field',
              ),
              type: build.graphql.GraphQLString,
              apply($condition: PgCondition, value: string | null | undefined) {
                // null or absent: no filter, as for the equality fields' absence
                if (value == null) return;
                $condition.where({
                  type: 'attribute',
                  attribute: attributeName,
                  // the value is a bound parameter ($n::text), never spliced into the text
                  callback: (column) => sql`${column} ^@ ${sqlValueWithCodec(value, TYPES.text)}`,
                });
              },
            }),
          }, `Adding prefix condition ${fieldName} for ${codec.name}.${attributeName}`);
        }
        return extended;
      },
    },
  },
};
