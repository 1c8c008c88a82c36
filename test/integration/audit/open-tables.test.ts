// api.audit_log shows whole tables at once to a user who reads them at
// organization depth (sql/240 _audit_open_tables, computed once per
// statement) and asks rowscope._audit_visible row by row for the rest
// (sql/640). The shortcut must show exactly the rows the per-row check shows:
// for each persona, the view's rows equal the log's rows (the same "before the
// record's latest insert" rule) for which _audit_visible, asked by that
// persona, says yes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;
const PERSONAS = ['sam', 'wes', 'aud', 'bua', 'rdr', 'boss', 'nob'];

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createBu('west', 'root');
  await org.createUser('sam', 'east', ['seller']);
  await org.createUser('wes', 'west', ['seller']);
  await org.createUser('aud', 'root', ['auditor']);
  await org.createUser('bua', 'east', ['bu_auditor']);
  await org.createUser('rdr', 'east', ['reader_org', 'auditor']);
  await org.createUser('boss', 'root', ['system_administrator']);
  await org.createUser('nob', 'east');
  const sales = await org.createTeam('sales', 'east');
  await org.admin('select rowscope.add_team_member($1, $2)', [sales, org.id('sam')]);
  const east = await org.record('account', 'east', 'sam', { credit_limit: 500 });
  await org.admin('update app.account set revenue = 1 where id = $1', [east]);
  const west = (await org.as('wes', `insert into api.account (name) values ('west') returning id`))[0].id;
  await org.as('wes', `update api.account set name = 'west 2' where id = $1`, [west]);
  const gone = (await org.as('sam', `insert into api.account (name) values ('gone') returning id`))[0].id;
  await org.as('sam', 'delete from api.account where id = $1', [gone]);
  await org.admin('select rowscope.grant_access($1, $2, $3, array[$4])', ['account', west, org.id('sam'), 'read']);
  await org.admin('select rowscope.disable_user($1)', [org.id('nob')]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

it('shows each persona exactly the rows _audit_visible shows them', async () => {
  const log = await org.admin(`
    select a.id::text as id, a.table_name, a.record_id, a.action from rowscope.audit_log a
    where not exists (select from rowscope.audit_log later
                      where later.table_name = a.table_name and later.record_id = a.record_id
                        and later.id > a.id and later.action = 'insert')
    order by a.id`);
  expect(new Set(log.map((r) => r.table_name)).size).toBeGreaterThan(3);
  let shortcutUsed = false;
  for (const persona of PERSONAS) {
    const viewed = (await org.as(persona, 'select id from api.audit_log order by id')).map((r) => String(r.id));
    const reader = (await org.as(persona, 'select rowscope._audit_reader() as ok'))[0].ok;
    const expected: string[] = [];
    if (reader) {
      for (const row of log) {
        const [{ ok }] = await org.as(persona, 'select rowscope._audit_visible($1, $2, $3) as ok', [row.table_name, row.record_id, row.action]);
        if (ok) expected.push(row.id);
      }
    }
    expect(viewed, persona).toEqual(expected);
    const open = (await org.as(persona, 'select rowscope._audit_open_tables() as t'))[0].t as string[];
    if (reader && open.length > 1) shortcutUsed = true;
  }
  // some persona's rows came through the shortcut, else this proves nothing about it
  expect(shortcutUsed).toBe(true);
});
