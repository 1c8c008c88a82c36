// docs/reference.md: user roles hold no privilege on secured columns (readable only
// through the api view, masked), and never TRUNCATE, REFERENCES, TRIGGER or
// ownership of anything; the data tables are filtered by the same RLS
// (docs/architecture.md "Roles and the policy shape"). Every security-definer
// function pins search_path and is not executable by PUBLIC
// (docs/security-model.md "Security data is guarded too"). Users cannot touch
// the security catalog directly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let acc: string;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('owner', 'sales', ['owner_rw']);
  await org.createUser('sa', 'sales', ['system_administrator']);
  acc = await org.record('account', 'a', 'owner', { credit_limit: 500 });
});
afterAll(() => close(f));

const relations = ['app.account', 'app.contact', 'app.product', 'api.account', 'api.contact', 'api.product'];

describe('table privileges', () => {
  it.each(['TRUNCATE', 'REFERENCES', 'TRIGGER'])('neither a user role nor rowscope_user holds %s on any model relation', async (priv) => {
    for (const role of [f.org.role('owner'), f.org.role('sa'), 'rowscope_user']) {
      for (const rel of relations) {
        const [r] = await f.org.admin('select has_table_privilege($1, $2, $3) as p', [role, rel, priv]);
        expect({ role, rel, priv, held: r.p }).toEqual({ role, rel, priv, held: false });
      }
    }
  });
  it('TRUNCATE is refused (42501) even for a System Administrator, and nothing is lost', async () => {
    for (const persona of ['owner', 'sa']) {
      expect((await f.org.refused(persona, 'truncate app.account')).code).toBe('42501');
    }
    expect(await f.org.admin('select count(*)::int as n from app.account')).toEqual([{ n: 1 }]);
  });
  it('users own nothing and cannot create objects in the data, api or rowscope schemas', async () => {
    const { org } = f;
    const [owned] = await org.admin(`select (select count(*) from pg_class where relowner = r.oid)
      + (select count(*) from pg_proc where proowner = r.oid) + (select count(*) from pg_namespace where nspowner = r.oid) as n
      from pg_roles r where r.rolname = $1`, [org.role('owner')]);
    expect(Number(owned.n)).toBe(0);
    for (const schema of ['app', 'api', 'rowscope', 'public']) {
      expect((await org.refused('owner', `create table ${schema}.intruder (id int)`)).code).toBe('42501');
    }
  });
  it('user roles are neither superuser nor BYPASSRLS; the data tables have RLS enabled and forced', async () => {
    expect(await f.org.admin('select rolsuper, rolbypassrls from pg_roles where rolname = $1', [f.org.role('owner')]))
      .toEqual([{ rolsuper: false, rolbypassrls: false }]);
    expect(await f.org.admin(`select relname, relrowsecurity, relforcerowsecurity from pg_class
      where oid in ('app.account'::regclass, 'app.contact'::regclass, 'app.product'::regclass) order by relname`)).toEqual([
      { relname: 'account', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'contact', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'product', relrowsecurity: true, relforcerowsecurity: true },
    ]);
  });
});

describe('secured columns', () => {
  it('no user role holds any column privilege on them', async () => {
    for (const role of [f.org.role('owner'), f.org.role('sa'), 'rowscope_user']) {
      for (const priv of ['SELECT', 'INSERT', 'UPDATE', 'REFERENCES']) {
        const [r] = await f.org.admin(`select has_column_privilege($1, 'app.account', 'credit_limit', $2) as p`, [role, priv]);
        expect({ role, priv, held: r.p }).toEqual({ role, priv, held: false });
      }
    }
  });
  it('reading one from the data table is refused, even for its owner and a System Administrator', async () => {
    for (const persona of ['owner', 'sa']) {
      expect((await f.org.refused(persona, 'select credit_limit from app.account')).code).toBe('42501');
      expect((await f.org.refused(persona, 'select * from app.account')).code).toBe('42501');
    }
  });
  it('the api view masks it (null) for its owner and shows it to a System Administrator', async () => {
    expect(await f.org.as('owner', 'select name, credit_limit from api.account where id = $1', [acc])).toEqual([{ name: 'a', credit_limit: null }]);
    expect(await f.org.as('sa', 'select name, credit_limit from api.account where id = $1', [acc])).toEqual([{ name: 'a', credit_limit: '500' }]);
  });
  it('the non-secured columns of the data table are readable directly, filtered like the view', async () => {
    expect(await f.org.as('owner', 'select id, name, revenue from app.account')).toEqual([{ id: acc, name: 'a', revenue: null }]);
  });
});

describe('the security catalog', () => {
  it.each(['system_user', 'security_role', 'role_assignment', 'team_member', 'business_unit'])('rowscope.%s is neither readable nor writable by users', async (table) => {
    expect((await f.org.refused('sa', `select * from rowscope.${table}`)).code).toBe('42501');
    expect((await f.org.refused('owner', `delete from rowscope.${table}`)).code).toBe('42501');
  });
  it('a user cannot make itself a System Administrator by writing the catalog', async () => {
    const { org } = f;
    expect((await org.refused('owner', `insert into rowscope.role_assignment (principal_id, role_id)
      values (rowscope.whoami(), gen_random_uuid())`)).code).toBe('42501');
  });
});

describe('security-definer functions', () => {
  it('every one pins search_path and none is executable by PUBLIC', async () => {
    const bad = await f.org.admin(`select p.oid::regprocedure::text as fn,
        coalesce(array_to_string(p.proconfig, ','), '') as config,
        exists (select from aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public_exec
      from pg_proc p where p.prosecdef and p.pronamespace = 'rowscope'::regnamespace`);
    expect(bad.length).toBeGreaterThan(10);
    expect(bad.filter((r) => !r.config.includes('search_path=pg_catalog, pg_temp') || r.public_exec)).toEqual([]);
  });
  it('internal helpers that take a user id are not executable by users', async () => {
    for (const fn of ['rowscope._scope_owners(uuid, text, text)', 'rowscope._grants(uuid, text, text)', 'rowscope._refresh_user_classes(uuid)']) {
      const [r] = await f.org.admin(`select has_function_privilege('rowscope_user', $1, 'EXECUTE') as p`, [fn]);
      expect({ fn, p: r.p }).toEqual({ fn, p: false });
    }
  });
});
