// Audit log tampering by users (docs/security-model.md "Audit"): nobody but the superuser
// inserts, updates, deletes or truncates log rows, neither in rowscope.audit_log
// nor through api.audit_log; reading it shows only readable records' history,
// masked, to holders of view_audit_history; a leaky function sees no more.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let log: unknown;
let secretId: string;

const wholeLog = () => org.admin('select * from rowscope.audit_log order by id');

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createBu('west', 'root');
  await org.createUser('seller', 'east', ['seller']);
  await org.createUser('victim', 'west', ['seller']);
  await org.createUser('aud', 'root', ['auditor']);
  await org.createUser('bu_aud', 'east', ['bu_auditor']);
  await org.as('seller', `insert into api.account (name, revenue) values ('own', 1)`);
  secretId = (await org.as('victim', `insert into api.account (name, revenue) values ('secret_a', 20) returning id`))[0].id;
  await org.admin('update app.account set credit_limit = 5000017 where id = $1', [secretId]);
  await org.as('victim', `update api.account set revenue = 21 where id = $1`, [secretId]);
  log = await wholeLog();
});
afterEach(async () => {
  expect(await wholeLog()).toEqual(log);
  expect(await org.admin('select * from rowscope.verify_audit()')).toEqual([]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('writing the log directly', () => {
  const writes = [
    `insert into rowscope.audit_log (table_name, action, changes) values ('account', 'update', '{}')`,
    `update rowscope.audit_log set changes = '{}'`,
    `delete from rowscope.audit_log`,
    `truncate rowscope.audit_log`,
    `alter table rowscope.audit_log disable trigger all`,
    `select rowscope._audit_append('account', null, 'update', '{}')`,
    `select rowscope.purge_audit(now() + interval '1 day')`,
  ];
  for (const persona of ['seller', 'aud']) {
    for (const text of writes) {
      it(`${persona}: ${text}`, async () => {
        const err = await org.refused(persona, text);
        expect(err.code).toBe('42501');
      });
    }
  }
});

describe('writing through api.audit_log', () => {
  for (const text of [
    `insert into api.audit_log (table_name, action) values ('account', 'update')`,
    `update api.audit_log set changes = '{}'`,
    `delete from api.audit_log`,
    `truncate api.audit_log`,
    `with d as (delete from api.audit_log returning id) select count(*) from d`,
  ]) {
    it(text, async () => {
      const err = await org.refused('aud', text);
      // no privilege (42501) or not an updatable view (55000017 / 0A000 / 42809)
      expect(['42501', '55000017', '0A000', '42809'], `${err.code} ${err.message}`).toContain(err.code);
    });
  }
});

describe('reading it', () => {
  it('the raw table is closed to users', async () => {
    expect((await org.refused('aud', 'select * from rowscope.audit_log')).code).toBe('42501');
  });
  it('without view_audit_history: nothing, even for own records', async () => {
    expect(await org.as('seller', 'select * from api.audit_log')).toEqual([]);
  });
  it('a BU auditor sees only its BU\'s records; a leaky function sees no other row', async () => {
    const c = await org.pool.connect();
    const notices: string[] = [];
    c.on('notice', (n) => notices.push(n.message ?? ''));
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [org.role('bu_aud')]);
      await c.query(`create function pg_temp.leak(text) returns boolean language plpgsql cost 0.0000001 as $$ begin raise notice 'leak %', $1; return true; end $$`);
      const rows = (await c.query(`select record_id from api.audit_log where table_name = 'account' and pg_temp.leak(coalesce(record_id::text, '') || changes::text)`)).rows;
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.record_id)).not.toContain(secretId);
      expect(notices.join('\n')).not.toContain(secretId);
      expect(notices.join('\n')).not.toContain('secret_a');
    } finally {
      await c.query('rollback');
      c.release();
    }
  });
  it('an organization auditor sees the history with the secured column masked', async () => {
    const rows = await org.as('aud', `select changes from api.audit_log where record_id = $1 and changes ? 'credit_limit'`, [secretId]);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.changes.credit_limit).toEqual({ old: null, new: null });
    const all = JSON.stringify(await org.as('aud', 'select changes from api.audit_log'));
    expect(all.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, '<id>')).not.toContain('5000017');
  });
});
