import type { Model } from '../model/types.ts';
import { lit, sql, type Sql } from '../sql/index.ts';

// Access team templates are catalog data (sql/130_access_teams.sql).
export function compileAccessTeamTemplates(model: Model): Sql {
  const templates = model.tables.flatMap((t) =>
    Object.entries(t.accessTeamTemplates)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, rights]) => ({ table: t.name, name, rights })),
  );
  return sql`select rowscope._sync_access_team_templates(${lit({ json: templates })})`;
}

export function compileAccessTeamTeardown(): Sql {
  return sql`select rowscope._sync_access_team_templates(${lit({ json: [] })})`;
}
