// Role defaults as model settings (issue F8): every rowscope user's own login
// gets the model's sessionDefaults in its database (sql/076_session_defaults.sql),
// from create_user and from every model sync, and doctor warns about a login
// without them. With them, a user's session cannot wait on a lock forever,
// and a lock it holds in an idle transaction ends with that session.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDoctor } from '../../../src/cli/doctor/lints.ts';
import { withClient } from '../../../src/db/client.ts';
import { compileCatalogSync } from '../../../src/compile/catalog.ts';
import { loadModel } from '../../../src/model/index.ts';
import { quoteIdentifier } from '../../../src/sql/index.ts';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { fixtureModelFile, securedDatabase } from '../../support/secured.ts';

const PASSWORD = 'session-defaults-test-password';

let basic: TestDatabase;
let session: TestDatabase;
let onBasic: Org;
let onSession: Org;
const opened: pg.Client[] = [];

/** A connection with the persona's own login (not SET ROLE). */
async function login(org: Org, db: TestDatabase, persona: string): Promise<pg.Client> {
  await org.admin(`alter role ${quoteIdentifier(org.role(persona))} password '${PASSWORD}'`);
  const url = new URL(db.url);
  url.username = org.role(persona);
  url.password = PASSWORD;
  const client = new pg.Client({ connectionString: url.toString() });
  client.on('error', () => {});
  await client.connect();
  opened.push(client);
  return client;
}

const show = async (c: pg.Client) => Object.fromEntries(await Promise.all(
  ['lock_timeout', 'idle_in_transaction_session_timeout', 'statement_timeout'].map(async (s) => [s, (await c.query(`show ${s}`)).rows[0][s]])));

const doctorFindings = (db: TestDatabase, role: string) => withClient(db.url, async (c) =>
  (await runDoctor(c)).findings.filter((f) => f.lint === 'user_session_defaults' && f.object === `role ${role}`));

beforeAll(async () => {
  basic = await securedDatabase();
  session = await securedDatabase('session');
  onBasic = new Org(basic.url);
  onSession = new Org(session.url);
  for (const org of [onBasic, onSession]) await org.createBu('root');
  await onBasic.createUser('plain', 'root', ['salesperson']);
  await onSession.createUser('holder', 'root', ['seller']);
});
afterAll(async () => {
  for (const c of opened) await c.end().catch(() => {});
  await onBasic?.close();
  await onSession?.close();
  await basic?.drop();
  await session?.drop();
});

describe('session defaults reach the user\'s own login', () => {
  it('the defaults of a model that names none', async () => {
    expect(await show(await login(onBasic, basic, 'plain'))).toEqual({
      lock_timeout: '5s', idle_in_transaction_session_timeout: '1min', statement_timeout: '5min',
    });
    expect(await doctorFindings(basic, onBasic.role('plain'))).toEqual([]);
  });

  it('the model\'s own values', async () => {
    expect(await show(await login(onSession, session, 'holder'))).toEqual({
      lock_timeout: '300ms', idle_in_transaction_session_timeout: '1s', statement_timeout: '5min',
    });
  });

  it('a model sync re-applies them; doctor warns about a login that lost one', async () => {
    const role = onBasic.role('plain');
    await onBasic.admin(`alter role ${quoteIdentifier(role)} in database ${quoteIdentifier(new URL(basic.url).pathname.slice(1))} reset lock_timeout`);
    const found = await doctorFindings(basic, role);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ level: 'warn', message: expect.stringContaining('lock_timeout is not set') });
    const model = await loadModel(fixtureModelFile('basic'));
    await onBasic.admin(compileCatalogSync({ ...model, sessionDefaults: { ...model.sessionDefaults, lockTimeout: '9s' } }).text);
    expect((await show(await login(onBasic, basic, 'plain'))).lock_timeout).toBe('9s');
    await onBasic.admin(compileCatalogSync(model).text);
    expect(await doctorFindings(basic, role)).toEqual([]);
  });
});

describe('what they protect against', () => {
  it('a lock wait ends at lock_timeout, and a lock held in an idle transaction ends with its session', async () => {
    const [id] = (await onSession.as('holder', `insert into api.account (name) values ('locked') returning id`)).map((r) => r.id);
    const holder = await login(onSession, session, 'holder');
    const other = await login(onSession, session, 'holder');
    await holder.query('begin');
    await holder.query('select id from api.account where id = $1 for update', [id]);
    const started = Date.now();
    await expect(other.query(`update api.account set name = 'x' where id = $1`, [id])).rejects.toMatchObject({ code: '55P03' });
    expect(Date.now() - started).toBeLessThan(5_000);
    // the holder sits idle in its transaction: the server ends that session
    await new Promise((r) => setTimeout(r, 2_000));
    await expect(holder.query('select 1')).rejects.toThrow();
    await other.query(`update api.account set name = 'freed' where id = $1`, [id]);
    expect(await onSession.admin('select name from app.account where id = $1', [id])).toEqual([{ name: 'freed' }]);
  });
});
