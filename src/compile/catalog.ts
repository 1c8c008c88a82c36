import type { Model } from '../model/types.ts';
import { lit, sql, type Sql } from '../sql/index.ts';

// The part of the model that is data, not DDL: handed to rowscope._sync_model
// (sql/630_ddl_model_sync.sql) as one jsonb value.
export function catalogOf(model: Model) {
  return {
    settings: {
      dataSchema: model.dataSchema,
      apiSchema: model.apiSchema,
      ownershipAcrossBusinessUnits: model.ownershipAcrossBusinessUnits,
      alwaysMoveRecordToOwnerBusinessUnit: model.alwaysMoveRecordToOwnerBusinessUnit,
      shareToPreviousOwnerOnAssign: model.shareToPreviousOwnerOnAssign,
      keepRolesOnBusinessUnitChange: model.keepRolesOnBusinessUnitChange,
      hierarchyModel: model.hierarchy.model,
      hierarchyDepth: model.hierarchy.depth,
      managersMustBeInSameOrParentBusinessUnit: model.hierarchy.managersMustBeInSameOrParentBusinessUnit,
      auditLogins: model.auditLogins,
      sessionDefaults: model.sessionDefaults,
      // read by rowscope.audit_retention_cutoff() (sql/235_audit_retention.sql)
      ...(model.auditRetention === undefined ? {} : { auditRetention: model.auditRetention }),
    },
    tables: model.tables.map((t) => ({
      name: t.name,
      dataSchema: model.dataSchema,
      apiSchema: model.apiSchema,
      ownership: t.ownership,
      hierarchySecurity: t.hierarchySecurity,
      // absent: the model's hierarchyDepth setting (sql/035_hierarchy.sql)
      ...(t.hierarchyDepth === undefined ? {} : { hierarchyDepth: t.hierarchyDepth }),
      securedColumns: t.securedColumns,
      relationships: t.relationships,
      audit: t.audit,
      accessTeamTemplates: t.accessTeamTemplates,
    })),
    roles: model.roles.map((r) => ({
      name: r.name,
      privileges: Object.entries(r.effectivePrivileges)
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([table, privileges]) =>
          Object.entries(privileges)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([privilege, depth]) => ({ table, privilege, depth })),
        ),
      misc: r.misc,
    })),
    fieldSecurityProfiles: model.fieldSecurityProfiles,
  };
}

export function compileCatalogSync(model: Model): Sql {
  return sql`select rowscope._sync_model(${lit({ json: catalogOf(model) })})`;
}
