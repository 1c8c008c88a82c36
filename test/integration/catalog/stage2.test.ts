// Golden files of stage 2 of compilation (docs/architecture.md): what the
// first migration of each golden fixture model (test/golden/generated-sql.test.ts),
// and of audit.yaml and fields.yaml for the builders' other branches (audit
// triggers per column, several secured columns), leaves in a real database's
// catalog -- policies, triggers, RLS flags, api views, the privileges of
// rowscope's roles, generated functions. Stage 1's
// text is pinned by test/golden; this pins what the PL/pgSQL builders of
// sql/6xx_ddl_*.sql make of it, so a change to a builder shows in review.
//
// pg_get_viewdef and policy expressions print differently across PostgreSQL
// major versions, so there is one file per major version. Regenerate
// deliberately with `-u` (on PostgreSQL 18 and, with ROWSCOPE_PG_BIN, 15);
// CI (CI=true) never writes them, so a missing file fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { coreSql } from '../../../src/emit/core.ts';
import { loadModel } from '../../../src/model/index.ts';
import { sql } from '../../../src/sql/index.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { fixtureModelFile, securedDatabase } from '../../support/secured.ts';
import { readCatalog, render, withoutCoreFunctions, type Catalog } from './catalog.ts';

let core: TestDatabase;
let coreCatalog: Catalog;
let major: number;

beforeAll(async () => {
  core = await databaseFor({ template: 'catalog_core_only', build: async (url) => {
    await withClient(url, (c) => c.query(coreSql()));
  } });
  await withClient(core.url, async (c) => {
    coreCatalog = await readCatalog(c, { dataSchema: 'app', apiSchema: 'api' });
    major = Math.floor(Number((await c.query<{ v: string }>(sql`select current_setting('server_version_num') as v`.text)).rows[0]!.v) / 10000);
  });
});

afterAll(async () => {
  await core?.drop();
});

// basic and foundation leave the same: they differ in roles only, which are
// catalog data (rowscope.security_role), not DDL.
describe.each(['basic', 'foundation', 'audit', 'fields'])('what the first migration of %s.yaml leaves in the catalog', (name) => {
  let db: TestDatabase;
  let catalog: Catalog;

  beforeAll(async () => {
    db = await securedDatabase(name);
    const model = await loadModel(fixtureModelFile(name));
    catalog = await withClient(db.url, async (c) => withoutCoreFunctions(await readCatalog(c, model), coreCatalog));
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('has something in every section', () => {
    for (const [section, lines] of Object.entries(catalog)) expect(lines.length, section).toBeGreaterThan(0);
  });

  it('matches the golden file of this PostgreSQL major version', async () => {
    await expect(render(catalog)).toMatchFileSnapshot(`./__snapshots__/${name}.pg${major}.catalog.txt`);
  });
});
