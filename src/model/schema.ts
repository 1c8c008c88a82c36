// The file format of docs/reference.md as a zod schema: shapes, closed value sets and
// defaults. Rules that relate one part of the model to another (a role naming
// a table, extends cycles, ...) live in rules/, so that all problems of a file
// can be reported together even when the shape is partly wrong.
import * as z from 'zod';
import {
  DELETE_CASCADES,
  DEPTHS,
  FIELD_PERMISSIONS,
  HIERARCHY_MODELS,
  OWNERSHIPS,
  PRIVILEGES,
  RIGHTS,
  SHARE_CASCADES,
} from './types.ts';
import { identifier, MAX_TABLE_NAME_BYTES } from './names.ts';
import { oneOfMessage } from './suggest.ts';
import { auditRetentionSchema } from './retention.ts';
import { descriptionSchema } from './description.ts';

/** A closed set of strings whose error lists the valid values. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, { error: (issue) => oneOfMessage(issue.input, values, what) });
}

const tableName = () => identifier('table name', MAX_TABLE_NAME_BYTES);
const columnName = () => identifier('column name');

const shareCascade = oneOf(SHARE_CASCADES, 'cascade value');

// Defaults follow Dataverse's parental relationship behaviour: everything
// cascades, and deleting the parent only clears the lookup.
const cascadeSchema = z
  .strictObject({
    assign: shareCascade.default('all'),
    share: shareCascade.default('all'),
    unshare: shareCascade.default('all'),
    reparent: shareCascade.default('all'),
    delete: oneOf(DELETE_CASCADES, 'delete cascade value').default('remove_link'),
  })
  .prefault({});

const relationshipSchema = z.strictObject({
  column: columnName(),
  references: tableName(),
  cascade: cascadeSchema,
});

const auditSchema = z
  .union(
    [
      z.boolean(),
      z.strictObject({
        columns: z
          .array(columnName())
          .min(1, { error: 'list at least one column, or write `audit: true` to audit every column' }),
      }),
    ],
    { error: 'expected true, false or { columns: [...] }' },
  )
  .default(false);

/** Levels of a hierarchy (the model's `hierarchy.depth`, a table's own `hierarchyDepth`). */
const hierarchyLevels = () =>
  z
    .number()
    .int({ error: 'the hierarchy depth is a whole number of levels' })
    .min(1, { error: 'the hierarchy depth must be at least 1' })
    .max(100, { error: 'the hierarchy depth must be at most 100' });

// Per column: so far only its description (the live table defines the columns).
const columnSchema = z.strictObject({
  description: descriptionSchema.optional(),
});

const tableSchema = z.strictObject({
  // the api view's COMMENT, shown in the GraphQL schema (src/model/description.ts)
  description: descriptionSchema.optional(),
  columns: z.record(columnName(), columnSchema).default({}),
  ownership: oneOf(OWNERSHIPS, 'ownership').default('user'),
  hierarchySecurity: z.boolean().default(false),
  // overrides hierarchy.depth for this table (rules/hierarchy-depth.ts)
  hierarchyDepth: hierarchyLevels().optional(),
  securedColumns: z.array(columnName()).default([]),
  audit: auditSchema,
  accessTeamTemplates: z
    .record(
      identifier('access team template name'),
      z.array(oneOf(RIGHTS, 'right')).min(1, { error: 'give the template at least one right' }),
    )
    .default({}),
  relationships: z.array(relationshipSchema).default([]),
});

const privilegeDepthsSchema = z.partialRecord(oneOf(PRIVILEGES, 'privilege'), oneOf(DEPTHS, 'depth'));

const roleSchema = z.strictObject({
  extends: z.array(identifier('role name')).default([]),
  privileges: z.record(tableName(), privilegeDepthsSchema).default({}),
  misc: z.array(identifier('misc privilege name')).default([]),
});

/** Keys are `table.column`; the value lists what the profile allows on it. */
const profileColumnKey = z.string().superRefine((value, ctx) => {
  if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(value)) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not a column reference; write it as table.column` });
  }
});

const fieldSecurityProfileSchema = z.record(profileColumnKey, z.array(oneOf(FIELD_PERMISSIONS, 'field permission')));

const hierarchySchema = z
  .strictObject({
    model: oneOf(HIERARCHY_MODELS, 'hierarchy model').default('none'),
    depth: hierarchyLevels().default(3),
    managersMustBeInSameOrParentBusinessUnit: z.boolean().default(true),
  })
  .prefault({});

// A PostgreSQL duration as ALTER ROLE … SET accepts it: a whole number with
// an optional unit; 0 turns the timeout off.
const DURATION = /^(0|[1-9][0-9]{0,8})(ms|s|min|h|d)?$/;
const duration = (what: string, fallback: string) =>
  z
    .string()
    .regex(DURATION, {
      error: (issue) => `${JSON.stringify(issue.input)} is not a duration; write the ${what} as a whole number with a unit (ms, s, min, h, d), e.g. '5s', or '0' for none`,
    })
    .default(fallback);

// Applied to every rowscope user's login in the database (sql/076_session_defaults.sql):
// a user's own session cannot hold locks or an open transaction forever
// (issue F8: LOCK TABLE … IN ACCESS EXCLUSIVE MODE by any user).
const sessionDefaultsSchema = z
  .strictObject({
    lockTimeout: duration('lock timeout', '5s'),
    idleInTransactionSessionTimeout: duration('idle-in-transaction timeout', '60s'),
    statementTimeout: duration('statement timeout', '5min'),
  })
  .prefault({});

export const modelSchema = z.strictObject({
  dataSchema: identifier('schema name').default('app'),
  apiSchema: identifier('schema name').default('api'),
  ownershipAcrossBusinessUnits: z.boolean().default(false),
  alwaysMoveRecordToOwnerBusinessUnit: z.boolean().default(true),
  shareToPreviousOwnerOnAssign: z.boolean().default(false),
  keepRolesOnBusinessUnitChange: z.boolean().default(false),
  hierarchy: hierarchySchema,
  auditLogins: z.boolean().default(false),
  sessionDefaults: sessionDefaultsSchema,
  // default cut-off of rowscope.purge_audit (src/model/retention.ts)
  auditRetention: auditRetentionSchema.optional(),
  miscPrivileges: z.array(identifier('misc privilege name')).default([]),
  tables: z.record(tableName(), tableSchema).default({}),
  roles: z.record(identifier('role name'), roleSchema).default({}),
  fieldSecurityProfiles: z.record(identifier('field security profile name'), fieldSecurityProfileSchema).default({}),
});

/** What a model file may contain (defaults optional). */
export type ModelInput = z.input<typeof modelSchema>;
/** The file after parsing: defaults filled, not yet cross-checked. */
export type ParsedModel = z.output<typeof modelSchema>;
