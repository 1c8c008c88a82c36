// Every compile step is one object with its undo (src/compile/step.ts). Here,
// on a real database with only the core schema, each step of a fixture's setup
// (src/compile/setup.ts) runs its up and then its down, and the catalog
// (./catalog.ts: policies, triggers, RLS, views, privileges, functions, and the
// login event trigger) must be what it was before; then the up again, so the
// next step finds what it builds on. At the end the whole teardown
// (compileTeardown: every down, last step first) must leave the catalog as the
// core alone had it.
//
// What a down keeps on purpose, and so is left out of the comparison
// (sql/610_ddl_table.sql _release_table): a released table keeps rowscope_owner
// as its owner, with the owner's own privileges, and the data and api schemas
// keep the USAGE and CREATE the builders granted on them (the application's own
// use of its schemas may rely on them).
// A step whose down is empty says why (`keeps`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTeardown, setupSteps } from '../../../src/compile/index.ts';
import { withClient } from '../../../src/db/client.ts';
import { coreSql } from '../../../src/emit/core.ts';
import { loadModel, type Model } from '../../../src/model/index.ts';
import { sql, statements, type Sql } from '../../../src/sql/index.ts';
import { databaseFor, type TestDatabase } from '../../support/database.ts';
import { fixtureModelFile } from '../../support/secured.ts';
import { readCatalog, type Catalog } from './catalog.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

async function buildCoreOnly(url: string, name: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query(readFileSync(join(FIXTURES, 'app-schema.sql'), 'utf8'));
    const extra = join(FIXTURES, `${name}.app-schema.sql`);
    if (existsSync(extra)) await c.query(readFileSync(extra, 'utf8'));
    await c.query(coreSql());
  });
}

/** The catalog, without what a down keeps on purpose (see the top of this file), plus the login event trigger. */
async function catalogOf(c: pg.Client, model: Model): Promise<Catalog> {
  const catalog = await readCatalog(c, model);
  const { rows } = await c.query<{ evtname: string; evtenabled: string }>(
    sql`select evtname, evtenabled from pg_event_trigger where evtname like 'rowscope%'`.text);
  // the owner's own privileges, which come with owning the table
  const ownersOwn = (line: string) => line.startsWith(`${model.dataSchema} | `) && line.split(' | ')[2] === 'rowscope_owner';
  return {
    ...catalog,
    schema_grants: [],
    table_grants: catalog.table_grants!.filter((l) => !ownersOwn(l)),
    event_triggers: rows.map((r) => `${r.evtname} ${r.evtenabled}`).sort(),
  };
}

const run = (c: pg.Client, parts: Sql[]) => (parts.length ? c.query(statements(parts).text) : Promise.resolve());

describe.each(['basic', 'foundation', 'audit'])('the steps of %s.yaml, each undone by its down', (name) => {
  let db: TestDatabase;
  let model: Model;

  beforeAll(async () => {
    db = await databaseFor({ template: `steps_core_${name}`, build: (url) => buildCoreOnly(url, name) });
    model = await loadModel(fixtureModelFile(name));
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('every step sets something up, and has a down or says what it keeps', () => {
    const steps = setupSteps(model);
    expect(steps.length).toBeGreaterThan(model.tables.length * 2);
    for (const step of steps) {
      expect(step.down.length > 0 || (step.keeps ?? '').length > 0, step.name).toBe(true);
    }
  });

  it('up then down leaves the catalog as it was, step by step; the whole teardown leaves it as the core had it', async () => {
    await withClient(db.url, async (c) => {
      const start = await catalogOf(c, model);
      const undone: string[] = [];
      for (const step of setupSteps(model)) {
        const before = await catalogOf(c, model);
        await run(c, step.up);
        if (step.up.length > 0 && step.down.length > 0 && step.name.includes('secured')) {
          // a step that secures a table does change the catalog (else this test could not fail)
          expect(await catalogOf(c, model), step.name).not.toEqual(before);
        }
        await run(c, step.down);
        expect(await catalogOf(c, model), `${step.name}: its down undoes its up`).toEqual(before);
        undone.push(step.name);
        await run(c, step.up);
      }
      expect(undone.length).toBe(setupSteps(model).length);
      const secured = await catalogOf(c, model);
      expect(secured.policies!.length).toBeGreaterThan(0);
      await run(c, compileTeardown(model));
      expect(await catalogOf(c, model)).toEqual(start);
    });
  });
});
