// Production limits on what a GraphQL document may ask for, as validation rules
// (checked once per distinct document; grafserv caches the result):
// - depth: fields nested more than `maxDepth` selection sets deep;
// - size: more than `maxFields` field selections in one operation, counted
//   after expanding fragments (so aliases and repeated fragments all count);
// - introspection (`__schema`, `__type`) unless enabled.
// Introspection fields are not counted against depth and size: the standard
// introspection query is deep, and it is switched on or off as a whole.
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'postgraphile/graphql';

export interface QueryLimits {
  maxDepth: number;
  maxFields: number;
  introspection: boolean;
}

export const PRODUCTION_LIMITS: Omit<QueryLimits, 'introspection'> = { maxDepth: 12, maxFields: 250 };

export function limitRules(limits: QueryLimits): ValidationRule[] {
  const rules: ValidationRule[] = [sizeAndDepthRule(limits.maxDepth, limits.maxFields)];
  if (!limits.introspection) rules.push(NoSchemaIntrospectionCustomRule);
  return rules;
}

/** A grafserv plugin adding the rules to the specified ones. */
export function limitsPlugin(limits: QueryLimits): GraphileConfig.Plugin {
  const rules = limitRules(limits);
  return {
    name: 'RowscopeQueryLimitsPlugin',
    version: '0.1.0',
    grafserv: {
      middleware: {
        setPreset(next, event) {
          event.validationRules.push(...rules);
          return next();
        },
      },
    },
  };
}

export function sizeAndDepthRule(maxDepth: number, maxFields: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const def of context.getDocument().definitions) {
        if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
      }
      const m = { fields: 0, depth: 0, work: 0 };
      const budget = maxFields * 10; // spreads and inline fragments visited; bounds the walk
      walk(node.selectionSet, 1);
      if (m.depth > maxDepth) {
        context.reportError(new GraphQLError(`the query is nested too deeply (more than ${maxDepth} levels)`, { nodes: [node] }));
      } else if (m.fields > maxFields || m.work > budget) {
        context.reportError(new GraphQLError(`the query selects too many fields (more than ${maxFields})`, { nodes: [node] }));
      }
      return false;

      function walk(set: SelectionSetNode, depth: number, inFragments: ReadonlySet<string> = new Set()): void {
        for (const sel of set.selections) {
          if (m.depth > maxDepth || m.fields > maxFields || ++m.work > budget) return;
          if (sel.kind === Kind.FIELD) {
            if (sel.name.value.startsWith('__') && sel.name.value !== '__typename') continue;
            m.fields++;
            m.depth = Math.max(m.depth, depth);
            if (sel.selectionSet) walk(sel.selectionSet, depth + 1, inFragments);
          } else if (sel.kind === Kind.INLINE_FRAGMENT) {
            walk(sel.selectionSet, depth, inFragments);
          } else {
            const name = sel.name.value;
            const fragment = fragments.get(name);
            // A cycle is reported by the specified NoFragmentCyclesRule; here it just stops.
            if (fragment && !inFragments.has(name)) walk(fragment.selectionSet, depth, new Set([...inFragments, name]));
          }
        }
      }
    },
  });
}
