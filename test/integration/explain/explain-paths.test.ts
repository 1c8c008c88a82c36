// explain_access paths of other features: access teams and inherited shares
// (sharing model), and the field view (field security model).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

type Row = { access_right: string; granted: boolean; reasons: string[] };
const byRight = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.access_right, r]));

describe('access teams and inherited shares', () => {
  let db: TestDatabase;
  let org: Org;
  beforeAll(async () => {
    db = await securedDatabase('sharing');
    org = new Org(db.url);
    await org.createBu('root');
    await org.createUser('alice', 'root', ['sales']);
    await org.createUser('dave', 'root', ['sales']);
  });
  afterAll(async () => {
    await org?.close();
    await db?.drop();
  });

  it('names the access team and the parent a share was inherited from', async () => {
    const a = await org.record('account', 'a', 'alice');
    const c = await org.record('contact', 'c', 'alice', { account_id: a });
    await org.as('alice', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', a, 'account_team', org.id('dave')]);
    await org.as('alice', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', a, org.id('dave'), ['read']]);
    const acc = byRight(await org.as<Row>('dave', 'select * from rowscope.explain_access($1, $2)', ['account', a]));
    expect(acc.write.reasons.join(' | ')).toContain('member of the account_team access team of this record (read, write, append)');
    const con = byRight(await org.as<Row>('dave', 'select * from rowscope.explain_access($1, $2)', ['contact', c]));
    expect(con.read.reasons.join(' | ')).toContain(`inherited from account ${a}`);
  });
});

describe('the field view', () => {
  let db: TestDatabase;
  let org: Org;
  beforeAll(async () => {
    db = await securedDatabase('fields');
    org = new Org(db.url);
    await org.createBu('root');
    await org.createUser('hr', 'root', ['hr']);
    await org.createUser('viewer', 'root', ['hr']);
    await org.admin('select rowscope.add_profile_member($1, $2)', ['salary_view', org.id('viewer')]);
  });
  afterAll(async () => {
    await org?.close();
    await db?.drop();
  });

  it('per secured column: read and update, granted or not, why, and never the value', async () => {
    const id = await org.record('employee', 'emp', 'hr', { salary: 123456 });
    const rows = await org.as<Row>('viewer', 'select * from rowscope.explain_access($1, $2)', ['employee', id]);
    const e = byRight(rows);
    expect(e['read field salary'].granted).toBe(true);
    expect(e['read field salary'].reasons.join(' | ')).toContain('profile salary_view grants read on employee.salary');
    expect(e['update field salary'].granted).toBe(false);
    expect(e['update field salary'].reasons.join(' | ')).toMatch(/fix: add .*viewer to a profile granting update on employee.salary/);
    expect(e['read field ssn'].granted).toBe(false);
    expect(JSON.stringify(rows)).not.toContain('123456');
  });
});
