import type { Model } from '../model/types.ts';
import { lit, sql, type Sql } from '../sql/index.ts';

// The security data views (sql/5xx_security_views*.sql) in the model's api
// schema: business units, users, teams, roles, assignments, shares and field
// security as the reader may see them. After the catalog sync, which they read.
export function compileSecurityViews(model: Model): Sql[] {
  return [sql`select rowscope._build_security_views(${lit(model.apiSchema)})`];
}

/** Undoes compileSecurityViews (the security data itself stays). */
export function compileSecurityViewsTeardown(model: Model): Sql[] {
  return [sql`select rowscope._release_security_views(${lit(model.apiSchema)})`];
}
