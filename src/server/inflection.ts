// Names in the GraphQL schema: `id` stays the uuid column, as in SQL and in
// every rowscope function (accountById(id:), updateAccountById, ...), and
// Relay's global object id is `nodeId` (as in PostGraphile v4).
export const RowscopeInflectionPlugin: GraphileConfig.Plugin = {
  name: 'RowscopeInflectionPlugin',
  version: '0.1.0',
  after: ['PgAttributesPlugin'],
  inflection: {
    replace: {
      nodeIdFieldName() {
        return 'nodeId';
      },
      _attributeName(previous, _options, details) {
        const name = previous!(details);
        if (!details.skipRowId && name === 'row_id') {
          const attribute = details.codec.attributes[details.attributeName];
          const base = attribute?.extensions?.tags?.name || details.attributeName;
          if (typeof base === 'string' && base.toLowerCase() === 'id' && !details.codec.isAnonymous) return 'id';
        }
        return name;
      },
    },
  },
};
