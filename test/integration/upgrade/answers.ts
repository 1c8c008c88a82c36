// What every user gets from a database, recorded the same way before and after
// an upgrade: per api view the rows they see (ids, or a count for views without
// one), check_access on sample records, the secured column as they read it;
// and the security data itself, table by table.
import pg from 'pg';
import type { LoadedOrg } from './org.ts';
import { quoteIdentifier as q } from '../../../src/sql/index.ts';

export interface UserAnswers {
  /** api view -> sorted ids (or `count:n`) */
  views: Record<string, string[]>;
  /** sample record -> rights */
  access: Record<string, string[]>;
  /** employee id -> annual_income as read through api.employee */
  salaries: Record<string, string | null>;
}

async function apiViews(c: pg.Client): Promise<{ name: string; hasId: boolean }[]> {
  const { rows } = await c.query<{ name: string; has_id: boolean }>(`
    select c.relname as name, exists (select from pg_attribute a where a.attrelid = c.oid and a.attname = 'id') as has_id
    from pg_class c where c.relnamespace = 'api'::regnamespace and c.relkind = 'v' order by 1`);
  return rows.map((r) => ({ name: r.name, hasId: r.has_id }));
}

export async function recordAnswers(url: string, org: LoadedOrg): Promise<Record<string, UserAnswers>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const views = await apiViews(c);
    const out: Record<string, UserAnswers> = {};
    for (const [persona, login] of Object.entries(org.logins)) {
      const answers: UserAnswers = { views: {}, access: {}, salaries: {} };
      for (const [key, rec] of Object.entries(org.records)) {
        const { rows } = await c.query<{ r: string[] }>('select rowscope.check_access($1, $2, $3) as r', [rec.table, rec.id, org.ids[persona]]);
        answers.access[key] = [...(rows[0]!.r ?? [])].sort();
      }
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [login]);
      for (const v of views) {
        if (v.hasId) {
          const { rows } = await c.query<{ id: string }>(`select id::text as id from api.${q(v.name)} order by 1`);
          answers.views[v.name] = rows.map((r) => r.id);
        } else {
          const { rows } = await c.query<{ n: number }>(`select count(*)::int as n from api.${q(v.name)}`);
          answers.views[v.name] = [`count:${rows[0]!.n}`];
        }
      }
      const { rows } = await c.query<{ id: string; s: string | null }>('select id::text as id, annual_income::text as s from api.employee');
      for (const r of rows) answers.salaries[r.id] = r.s;
      await c.query('commit');
      out[persona] = answers;
    }
    return out;
  } finally {
    await c.end();
  }
}

/** Every row of every table of the rowscope schema, as jsonb objects. */
export async function securityData(url: string): Promise<Record<string, Record<string, unknown>[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows: tables } = await c.query<{ name: string }>(
      `select relname as name from pg_class where relnamespace = 'rowscope'::regnamespace and relkind = 'r' order by 1`);
    const out: Record<string, Record<string, unknown>[]> = {};
    for (const { name } of tables) {
      const { rows } = await c.query<{ j: Record<string, unknown> }>(`select to_jsonb(t) as j from rowscope.${q(name)} t`);
      out[name] = rows.map((r) => r.j);
    }
    return out;
  } finally {
    await c.end();
  }
}

/** The rows projected on the given keys, as sorted canonical strings. */
export function project(rows: Record<string, unknown>[], keys: string[]): string[] {
  return rows.map((r) => JSON.stringify(keys.map((k) => r[k] ?? null))).sort();
}
