// Regression: an attack that once succeeded (on PostgreSQL 15), fixed in sql/071.
//
// create_user adopts an existing role (docs/reference.md "creates the LOGIN role when it
// does not exist"). A BU user admin (create system_user at business_unit depth)
// may thereby adopt a non-superuser role that is no rowscope user, e.g. a
// deployment administrator that is a member of rowscope_admin / rowscope_owner.
// On PostgreSQL 16+ the definer has no ADMIN option on a role it did not create,
// so `grant <role> to rowscope_authenticator` fails and nothing happens. On
// PostgreSQL 15 CREATEROLE may grant any non-superuser role: the adoption
// succeeds, the deployer stops being the deployment administrator (it is now a
// rowscope user), and rowscope_authenticator becomes a member of it (and so may
// SET ROLE to rowscope_owner, the owner of the data tables).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arena, closeArena, type Arena } from './fixture.ts';

let a: Arena;

beforeAll(async () => {
  a = await arena();
  await a.org.createUser('user_admin', 'sales', ['user_admin']);
  const deployer = a.org.role('deployer');
  await a.org.admin(`create role ${deployer} login`);
  await a.org.admin(`grant rowscope_admin, rowscope_owner to ${deployer}`);
});
afterAll(async () => {
  await a.org.admin(`drop owned by ${a.org.role('deployer')}`).catch(() => {});
  await closeArena(a);
});

describe('a BU user admin adopting a privileged existing role', () => {
  it('is refused, and the role keeps its memberships and its deployment-admin status', async () => {
    const deployer = a.org.role('deployer');
    const err = await a.org
      .as('user_admin', 'select rowscope.create_user($1, $2)', [deployer, a.org.bu('sales')])
      .then(() => undefined, (e) => e as { code: string });
    expect(err?.code).toBe('42501');
    const [u] = await a.org.admin('select count(*)::int as n from rowscope.system_user where db_role = $1', [deployer]);
    expect(u.n).toBe(0);
    const [m] = await a.org.admin(`select pg_has_role('rowscope_authenticator', $1, 'member') as auth`, [deployer]);
    expect(m.auth).toBe(false);
  });
});
