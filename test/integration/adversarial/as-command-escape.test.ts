// `rowscope as` (src/db/as-user.ts) runs the SQL on a connection that cannot
// get back to a privileged role: RESET ROLE, SET SESSION AUTHORIZATION and
// set_config('role', 'none') inside the one statement land on a throw-away
// login that holds nothing and is no rowscope user, and that login is gone
// afterwards. The first case is the outside tester's exact command (issue
// F9), which at 20fab3e ran as the superuser and created public.pwn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';
import { errorLines, runCli } from '../cli/run-cli.ts';

let db: TestDatabase;
let org: Org;
let tablesBefore: unknown;

beforeAll(async () => {
  db = await securedDatabase();
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('judy', 'root', []);
  await org.createUser('seller', 'root', ['salesperson']);
  // a table only the administrator may read, as the demo's app.employee
  await org.admin(`create table app.employee (name text, annual_income numeric);
    insert into app.employee values ('carol', 98500), ('bob', 91000)`);
  tablesBefore = await publicTables();
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const as = (persona: string, sql: string) => runCli(['as', org.role(persona), '--', sql], { databaseUrl: db.url });
// Throw-away logins that may become this file's users (roles are cluster-wide:
// other files' `rowscope as` runs have their own at the same moment).
const leftovers = async () => org.admin(`select r.rolname from pg_roles r join pg_auth_members m on m.member = r.oid
  where r.rolname like 'rowscope\\_as\\_%' and m.roleid in (select oid from pg_roles where rolname = any ($1))`,
[[org.role('judy'), org.role('seller')]]);
const publicTables = async () => org.admin(`select relname from pg_class where relnamespace = 'public'::regnamespace`);

// The SQL reports who it ended up as in its own error message (the CLI prints it).
// (A rowscope user may use the rowscope and api schemas; the throw-away login may not.)
const whoAmI = `raise exception 'now % super % rowscope %', current_user,
  (select rolsuper from pg_roles where rolname = current_user),
  has_schema_privilege('rowscope', 'usage') or has_schema_privilege('api', 'usage')`;

describe('rowscope as cannot leave the user\'s role', () => {
  it('the outside tester\'s command fails and creates nothing', async () => {
    const run = await as('judy', `do $$ begin perform set_config('role','none',true); create table public.pwn as select name, annual_income from app.employee; end $$`);
    expect(run.code).toBe(1);
    expect(errorLines(run)).toHaveLength(1);
    expect(run.stderr).toMatch(/permission denied/);
    expect(await publicTables()).toEqual(tablesBefore);
    expect(await org.admin(`select to_regclass('public.pwn') as t`)).toEqual([{ t: null }]);
    expect(await leftovers()).toEqual([]);
  });

  for (const [name, escape] of [
    ['reset role', 'reset role'],
    ['set_config(role, none)', `perform set_config('role', 'none', false)`],
    ['set role none', 'set role none'],
  ]) {
    it(`${name} lands on a role with nothing, no rowscope user`, async () => {
      const run = await as('seller', `do $$ begin ${escape}; ${whoAmI}; end $$`);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/now rowscope_as_[0-9a-f]{16} super f rowscope f/);
      // and from there it reads nothing the user could not
      const read = await as('seller', `do $$ begin ${escape}; perform count(*) from api.account; end $$`);
      expect(read.code).toBe(1);
      expect(read.stderr).toMatch(/permission denied for (view|table|schema)/);
      const data = await as('seller', `do $$ begin ${escape}; perform * from app.employee; end $$`);
      expect(data.code).toBe(1);
      expect(data.stderr).toMatch(/permission denied/);
    });
  }

  it('SET SESSION AUTHORIZATION and SET ROLE to the administrator are refused', async () => {
    const admin = (await org.admin('select current_user as u'))[0].u as string;
    for (const text of [
      `set session authorization ${admin}`,
      `do $$ begin set session authorization ${admin}; ${whoAmI}; end $$`,
      `do $$ begin reset role; set role ${admin}; ${whoAmI}; end $$`,
      `do $$ begin reset session authorization; ${whoAmI}; end $$`,
    ]) {
      const run = await as('seller', text);
      expect(run.code, text).toBe(1);
      expect(run.stderr, text).not.toMatch(new RegExp(`now ${admin} `));
      expect(run.stderr, text).not.toMatch(/super t/);
    }
    expect(await leftovers()).toEqual([]);
  });

  it('still runs as the user, and leaves no login behind', async () => {
    const run = await as('seller', 'select current_user as who, session_user <> current_user as other_login');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(` ${org.role('seller')} | t`);
    expect(await leftovers()).toEqual([]);
    expect(await publicTables()).toEqual(tablesBefore);
  });
});
