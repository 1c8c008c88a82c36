// Turns a validated file model into the normalised Model the compiler uses:
// defaults are already filled by the schema; here lists are sorted and
// de-duplicated (so cosmetic reordering does not change the model hash),
// `audit` gets its final form and `extends` is flattened.
import {
  FIELD_PERMISSIONS,
  PRIVILEGES,
  RIGHTS,
  type Model,
  type PrivilegeDepths,
  type RoleModel,
  type TableModel,
} from './types.ts';
import type { ParsedModel } from './schema.ts';
import { flattenRoles } from './flatten.ts';
import { normalizeRetention } from './retention.ts';

// Code-point order, not locale order: the output must not depend on the machine.
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const uniqueSorted = (values: readonly string[]): string[] => [...new Set(values)].sort(compare);

/** Unique, in the order of `canonical` (e.g. read before write). */
function inOrder<T extends string>(canonical: readonly T[], values: readonly T[]): T[] {
  return canonical.filter((value) => values.includes(value));
}

const byName = <T>(record: Record<string, T>): [string, T][] =>
  Object.entries(record).sort(([a], [b]) => compare(a, b));

function normalizeTable(name: string, table: ParsedModel['tables'][string]): TableModel {
  return {
    name,
    ownership: table.ownership,
    hierarchySecurity: table.hierarchySecurity,
    ...(table.hierarchyDepth === undefined ? {} : { hierarchyDepth: table.hierarchyDepth }),
    securedColumns: uniqueSorted(table.securedColumns),
    audit: table.audit === true ? 'all' : table.audit === false ? false : uniqueSorted(table.audit.columns),
    accessTeamTemplates: Object.fromEntries(
      byName(table.accessTeamTemplates).map(([template, rights]) => [template, inOrder(RIGHTS, rights)]),
    ),
    relationships: [...table.relationships]
      .sort((a, b) => compare(a.column, b.column))
      .map(({ column, references, cascade }) => ({ column, references, cascade: { ...cascade } })),
    // both only when given, so models without descriptions keep their hash
    ...(table.description === undefined ? {} : { description: table.description }),
    ...columnDescriptions(table.columns),
  };
}

function columnDescriptions(columns: ParsedModel['tables'][string]['columns']): { columnDescriptions?: Record<string, string> } {
  const described = byName(columns).flatMap(([column, c]) => (c.description === undefined ? [] : [[column, c.description] as const]));
  return described.length ? { columnDescriptions: Object.fromEntries(described) } : {};
}

function ownPrivileges(privileges: ParsedModel['roles'][string]['privileges']): Record<string, PrivilegeDepths> {
  return Object.fromEntries(
    byName(privileges).map(([table, depths]) => [
      table,
      Object.fromEntries(PRIVILEGES.filter((p) => depths[p] !== undefined).map((p) => [p, depths[p]])),
    ]),
  );
}

export function normalizeModel(parsed: ParsedModel): Model {
  const flattened = flattenRoles(parsed.roles);
  const roles: RoleModel[] = byName(parsed.roles).map(([name, role]) => ({
    name,
    extends: uniqueSorted(role.extends),
    privileges: ownPrivileges(role.privileges),
    effectivePrivileges: flattened.get(name)!.effectivePrivileges,
    misc: flattened.get(name)!.misc,
  }));

  return {
    dataSchema: parsed.dataSchema,
    apiSchema: parsed.apiSchema,
    ownershipAcrossBusinessUnits: parsed.ownershipAcrossBusinessUnits,
    alwaysMoveRecordToOwnerBusinessUnit: parsed.alwaysMoveRecordToOwnerBusinessUnit,
    shareToPreviousOwnerOnAssign: parsed.shareToPreviousOwnerOnAssign,
    keepRolesOnBusinessUnitChange: parsed.keepRolesOnBusinessUnitChange,
    hierarchy: { ...parsed.hierarchy },
    auditLogins: parsed.auditLogins,
    sessionDefaults: { ...parsed.sessionDefaults },
    ...(parsed.auditRetention === undefined ? {} : { auditRetention: normalizeRetention(parsed.auditRetention) }),
    miscPrivileges: uniqueSorted(parsed.miscPrivileges),
    tables: byName(parsed.tables).map(([name, table]) => normalizeTable(name, table)),
    roles,
    fieldSecurityProfiles: byName(parsed.fieldSecurityProfiles).map(([name, columns]) => ({
      name,
      columns: Object.entries(columns)
        .map(([key, permissions]) => {
          const [table, column] = key.split('.');
          return { table, column, permissions: inOrder(FIELD_PERMISSIONS, permissions) };
        })
        .sort((a, b) => compare(a.table, b.table) || compare(a.column, b.column)),
    })),
  };
}
