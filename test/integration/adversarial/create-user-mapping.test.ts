// Regression (issue 14, F10): create_user maps an existing role only when it is
// a plain login (sql/071 _create_user). A role that is a member of
// pg_execute_server_program was mapped, and rowscope_authenticator could then
// SET ROLE into it and run programs on the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const made: string[] = [];

async function role(name: string, setup: string[]): Promise<string> {
  const r = org.role(name);
  made.push(r);
  await org.admin(`create role ${r} login`);
  for (const s of setup) await org.admin(s.replaceAll('$ROLE', r));
  return r;
}

async function mapRefused(r: string): Promise<{ code: string; message: string }> {
  const err = await org.admin('select rowscope.create_user($1, $2)', [r, org.bu('root')]).then(
    () => undefined,
    (e) => e as { code: string; message: string },
  );
  expect(err, `${r} was mapped`).toBeDefined();
  const [u] = await org.admin('select count(*)::int as n from rowscope.system_user where db_role = $1', [r]);
  expect(u.n).toBe(0);
  const [m] = await org.admin(`select pg_has_role('rowscope_authenticator', $1, 'member') as auth`, [r]);
  expect(m.auth).toBe(false);
  return err!;
}

beforeAll(async () => {
  db = await securedDatabase('escalation');
  org = new Org(db.url);
  await org.createBu('root');
});
afterAll(async () => {
  for (const r of made.reverse()) {
    await org.admin(`drop owned by ${r}`).catch(() => {});
    await org.admin(`drop role if exists ${r}`).catch(() => {});
  }
  await org?.close();
  await db?.drop();
});

describe('F10: create_user never maps a privileged existing role', () => {
  it('a member of pg_execute_server_program', async () => {
    const r = await role('program_runner', ['grant pg_execute_server_program to $ROLE']);
    const err = await mapRefused(r);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('pg_execute_server_program');
  });

  it('a member of any other role', async () => {
    const g = await role('some_group', []);
    const r = await role('grouped', [`grant ${g} to $ROLE`]);
    const err = await mapRefused(r);
    expect(err.code).toBe('42501');
    expect(err.message).toContain(g);
  });

  it('a role with members', async () => {
    const r = await role('group_head', []);
    await role('group_member', [`grant ${r} to $ROLE`]);
    const err = await mapRefused(r);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('members');
  });

  it('a role owning objects', async () => {
    const r = await role('table_owner', ['create table public.$ROLE_t (x int)', 'alter table public.$ROLE_t owner to $ROLE']);
    const err = await mapRefused(r);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('owns');
  });

  it('a role holding privileges of its own', async () => {
    const r = await role('grantee', ['grant select on app.account to $ROLE']);
    const err = await mapRefused(r);
    expect(err.code).toBe('42501');
    expect(err.message).toContain('privileges');
  });

  for (const attr of ['createdb', 'createrole', 'replication', 'bypassrls']) {
    it(`a role with ${attr.toUpperCase()}`, async () => {
      const r = await role(`attr_${attr}`, [`alter role $ROLE ${attr}`]);
      const err = await mapRefused(r);
      expect(err.code).toBe('42501');
      expect(err.message.toLowerCase()).toContain(attr);
    });
  }

  it('a superuser', async () => {
    const r = await role('super', ['alter role $ROLE superuser']);
    const err = await mapRefused(r);
    expect(err.code).toBe('42501');
    expect(err.message.toLowerCase()).toContain('superuser');
  });

  it('a login that is a rowscope user of another rowscope database is mapped (its memberships are rowscope\'s own)', async () => {
    const other = await securedDatabase('escalation');
    const otherOrg = new Org(other.url);
    try {
      await otherOrg.createBu('root');
      const r = org.role('both');
      made.push(r);
      const [{ id }] = await otherOrg.admin(`select rowscope.create_user($1, $2) as id`, [r, otherOrg.bu('root')]);
      await otherOrg.admin(`select rowscope.assign_role($1, 'seller')`, [id]);
      const [{ n }] = await org.admin('select count(*)::int as n from pg_auth_members m join pg_roles g on g.oid = m.roleid where m.member = $1::regrole', [r]);
      expect(n).toBeGreaterThan(1); // rowscope_user and the access classes of the other database
      await org.admin('select rowscope.create_user($1, $2)', [r, org.bu('root')]);
      const [u] = await org.admin('select count(*)::int as n from rowscope.system_user where db_role = $1', [r]);
      expect(u.n).toBe(1);
    } finally {
      await otherOrg.close();
      await other.drop();
    }
  });

  it('a plain existing login is mapped', async () => {
    const r = await role('plain', []);
    await org.admin('select rowscope.create_user($1, $2)', [r, org.bu('root')]);
    const [u] = await org.admin('select count(*)::int as n from rowscope.system_user where db_role = $1', [r]);
    expect(u.n).toBe(1);
  });
});
