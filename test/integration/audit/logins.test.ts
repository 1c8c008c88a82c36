// docs/security-model.md "Audit", model option auditLogins: on PostgreSQL 17+ every login of
// a rowscope user is logged (a login event trigger); on older servers the
// migration says it is unavailable and goes on.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { history } from './audit.ts';

let db: TestDatabase;
let org: Org;
let version: number;

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('lou', 'root', ['seller']);
  await org.admin(`alter role ${org.role('lou')} password 'audit-login-test'`);
  version = Number((await org.admin(`select current_setting('server_version_num') as v`))[0].v);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

async function login(role: string): Promise<void> {
  const url = new URL(db.url);
  url.username = role;
  url.password = 'audit-login-test';
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  await c.query('select 1');
  await c.end();
}

const logins = async () => (await history(org, org.id('lou'))).filter((r) => r.action === 'login');

describe('auditLogins', () => {
  it('logs each login of a rowscope user on PostgreSQL 17+; says it is unavailable before', async () => {
    const [trigger] = await org.admin(`select count(*)::int as n from pg_event_trigger where evtname = 'rowscope_audit_login'`);
    if (version >= 170000) {
      expect(trigger.n).toBe(1);
      await login(org.role('lou'));
      await login(org.role('lou'));
      const rows = await logins();
      expect(rows).toHaveLength(2);
      expect(rows[0]).toMatchObject({ table_name: 'system_user', user_id: org.id('lou'), db_role: org.role('lou') });
    } else {
      expect(trigger.n).toBe(0);
      const c = new pg.Client({ connectionString: db.url });
      const notices: string[] = [];
      c.on('notice', (n) => notices.push(n.message ?? ''));
      await c.connect();
      await c.query('select rowscope._enable_login_audit()');
      await c.end();
      expect(notices).toEqual([expect.stringMatching(/auditLogins is unavailable on PostgreSQL/)]);
    }
  });

  it('logs nothing for logins that are no rowscope user, or once the option is off', async () => {
    const before = (await org.admin(`select count(*)::int as n from rowscope.audit_log where action = 'login'`))[0].n;
    await org.admin('select 1'); // the superuser's pool connects
    await org.admin(`update rowscope.setting set value = 'false' where key = 'auditLogins'`);
    try {
      await login(org.role('lou'));
    } finally {
      await org.admin(`update rowscope.setting set value = 'true' where key = 'auditLogins'`);
    }
    expect((await org.admin(`select count(*)::int as n from rowscope.audit_log where action = 'login'`))[0].n).toBe(before);
  });
});
