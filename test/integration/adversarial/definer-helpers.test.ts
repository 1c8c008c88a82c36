// Security-definer helpers called directly by a user, with another user's
// identity or arguments (docs/architecture.md: "never accept 'which user' as a parameter
// of a helper a user can call"). Every definer function not granted to
// rowscope_user is refused with 42501 "permission denied"; the granted ones are
// pinned by name (a newly granted helper fails here until it is reviewed) and
// each answers for the caller only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { arena, closeArena, expectNoSecret, snapshot, type Arena } from './fixture.ts';

let a: Arena;
let before: unknown;

const security = async () => ({
  data: await snapshot(a),
  users: await a.org.admin('select * from rowscope.system_user order by id'),
  roles: await a.org.admin('select * from rowscope.role_assignment order by 1, 2, 3'),
  teams: await a.org.admin('select * from rowscope.team order by id'),
  members: await a.org.admin('select * from rowscope.team_member order by 1, 2'),
  bus: await a.org.admin('select * from rowscope.business_unit order by id'),
});

beforeAll(async () => {
  a = await arena();
  await a.org.createTeam('victims', 'service');
  before = await security();
});
afterEach(async () => expect(await security()).toEqual(before));
afterAll(() => closeArena(a));

interface Definer {
  sig: string;
  name: string;
  call: string;
  granted: boolean;
}

async function definers(): Promise<Definer[]> {
  return a.org.admin<Definer>(`
    select p.oid::regprocedure::text as sig, p.proname as name,
           format('select %s(%s)', p.oid::regproc, coalesce(string_agg(format('null::%s', format_type(t, null)), ', ' order by i) filter (where t is not null), '')) as call,
           has_function_privilege('rowscope_user', p.oid, 'execute') as granted
    from pg_proc p left join unnest(p.proargtypes::oid[]) with ordinality as a(t, i) on true
    where p.prosecdef
      and p.pronamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
    group by p.oid`);
}

// The definer functions a user may call. Each is probed below.
const GRANTED = [
  'rowscope._audit_masked_changes(text,uuid,text,jsonb)', 'rowscope._class_guard(text,text)', 'rowscope._audit_reader()', 'rowscope._audit_visible(text,uuid,text)',
  'rowscope._audit_open_tables()',
  'rowscope._create_user(text,uuid,uuid,text)', 'rowscope._model_table(text)', 'rowscope._readable_record(text,uuid)', 'rowscope._require_table_update(text,text,uuid)',
  // the security data views' filters (sql/500_security_views_scope.sql, sql/950_security_views_grants.sql)
  'rowscope._is_deployment_admin()', 'rowscope._sv_all(text)', 'rowscope._sv_any(text)', 'rowscope._sv_me()', 'rowscope._sv_my_principals()',
  'rowscope._sv_my_roles()', 'rowscope._sv_share_org_tables()', 'rowscope._sv_shareable(text)',
  'rowscope.add_access_team_member(text,uuid,text,uuid)', 'rowscope.add_profile_member(text,uuid)', 'rowscope.add_team_member(uuid,uuid)',
  // assign (sql/120): checks the caller's assign right itself, then changes the owner once
  'rowscope.assign(text,uuid,uuid)', 'rowscope.assign_role(uuid,text,uuid,text)', 'rowscope.audit_retention_cutoff()',
  'rowscope.check_access(text,uuid,uuid)', 'rowscope.create_business_unit(text,uuid)', 'rowscope.create_position(text,uuid)',
  'rowscope.create_team(text,uuid,text)', 'rowscope.disable_user(uuid)', 'rowscope.enable_user(uuid)', 'rowscope.explain_access(text,uuid,uuid)',
  'rowscope.explain_fix(text,uuid,text,uuid)', 'rowscope.field_account__credit_limit_*(uuid)', 'rowscope.field_read_mode(text,text)', 'rowscope.grant_access(text,uuid,uuid,text[])',
  'rowscope.has_privilege(text)', 'rowscope.modify_access(text,uuid,uuid,text[])', 'rowscope.move_user(uuid,uuid)',
  'rowscope.purge_audit(timestamp with time zone)', 'rowscope.remove_access_team_member(text,uuid,text,uuid)',
  'rowscope.remove_profile_member(text,uuid)', 'rowscope.remove_role(uuid,text,uuid)', 'rowscope.remove_team_member(uuid,uuid)',
  'rowscope.revoke_access(text,uuid,uuid)', 'rowscope.root_business_unit()', 'rowscope.scope_bus(text,text)', 'rowscope.scope_org(text,text)',
  'rowscope.scope_owners(text,text)', 'rowscope.scope_records(text,text)', 'rowscope.set_access_mode(uuid,text)', 'rowscope.set_manager(uuid,uuid)',
  'rowscope.set_position(uuid,uuid)', 'rowscope.share_field(text,uuid,text,uuid,boolean,boolean)', 'rowscope.verify_audit()', 'rowscope.whoami()',
  // the bulk forms (sql/150..153, grants in sql/915): a rowscope user's call runs the
  // single functions item by item with their checks; the set-based path and
  // deferred logins are the deployment administrator's only
  'rowscope._bulk_create_users(jsonb,boolean)', 'rowscope._create_user_logins(uuid[])', 'rowscope.add_team_members(jsonb)',
  'rowscope.assign_roles(jsonb)', 'rowscope.grant_access_bulk(text,jsonb)', 'rowscope.set_managers(jsonb)',
].sort();

describe('the inventory', () => {
  it('every security-definer function pins search_path and is not executable by PUBLIC', async () => {
    const bad = await a.org.admin(`select p.oid::regprocedure::text as sig from pg_proc p
      where p.prosecdef and p.pronamespace not in ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
        and (not coalesce(p.proconfig @> array['search_path=pg_catalog, pg_temp'], false) or has_function_privilege('public', p.oid, 'execute'))`);
    expect(bad).toEqual([]);
  });
  it('exactly the reviewed ones are granted to rowscope_user', async () => {
    const granted = (await definers()).filter((d) => d.granted).map((d) => d.sig.replace(/credit_limit_[0-9a-f]+\(/, 'credit_limit_*(')).sort();
    expect(granted).toEqual(GRANTED);
  });
});

describe('ungranted definer functions', () => {
  it('each one is refused with 42501 "permission denied", for a user and for an org reader', async () => {
    const list = (await definers()).filter((d) => !d.granted);
    expect(list.length).toBeGreaterThan(50);
    for (const persona of ['attacker', 'reader']) {
      for (const d of list) {
        const err = await a.org.refused(persona, d.call);
        expect(err.code, d.sig).toBe('42501');
        expect(err.message, d.sig).toMatch(/permission denied for function/);
      }
    }
  });
  it('the internal access-set functions take a user argument, so they must stay closed', async () => {
    for (const text of [`select rowscope._scope_owners($1, 'account', 'read')`, `select rowscope._has_right($1, 'account', 'read', null, null, null)`, `select rowscope._grants($1, 'account', 'read')`]) {
      const err = await a.org.refused('attacker', text, [a.org.id('reader')]);
      expect(err.code, text).toBe('42501');
    }
  });
});

describe('granted definer functions answer for the caller only', () => {
  it('scope_* have no user argument: the attacker gets its own sets, not the victim\'s', async () => {
    const [row] = await a.org.as('attacker', `select rowscope.scope_org('account', 'read') as org, rowscope.scope_owners('account', 'read') as owners,
      rowscope.scope_bus('account', 'read') as bus, rowscope.scope_records('account', 'read') as records, rowscope.whoami() as me`);
    // user depth covers the attacker and their owner teams: the sales BU's default team
    const [team] = await a.org.admin('select id from rowscope.team where business_unit_id = $1 and is_default', [a.org.bu('sales')]);
    expect(row).toEqual({ org: false, owners: [a.org.id('attacker'), team.id].sort(), bus: [a.org.bu('sales')], records: [], me: a.org.id('attacker') });
  });
  it('check_access / explain_access about another user: refused without read on system_user', async () => {
    for (const text of ['select rowscope.check_access($1, $2, $3)', 'select * from rowscope.explain_access($1, $2, $3)', `select * from rowscope.explain_fix($1, $2, 'read', $3)`]) {
      const err = await a.org.refused('attacker', text, ['account', a.ids.mine, a.org.id('reader')]);
      expect(err.code, text).toBe('42501');
      expectNoSecret(err.message);
    }
  });
  it('functions taking a record id report an unreadable record as missing (22023), never its contents', async () => {
    const calls: [string, unknown[]][] = [
      ['select rowscope._readable_record($1, $2)', ['account', a.ids.secret_a]],
      ['select rowscope.check_access($1, $2)', ['account', a.ids.secret_a]],
      ['select * from rowscope.explain_access($1, $2)', ['account', a.ids.secret_a]],
      [`select * from rowscope.explain_fix($1, $2, 'write')`, ['account', a.ids.secret_a]],
      [`select rowscope.grant_access($1, $2, rowscope.whoami(), array['read'])`, ['account', a.ids.secret_a]],
      [`select rowscope.modify_access($1, $2, rowscope.whoami(), array['read', 'write'])`, ['account', a.ids.secret_a]],
      ['select rowscope.revoke_access($1, $2, rowscope.whoami())', ['account', a.ids.secret_a]],
      ['select rowscope.assign($1, $2, rowscope.whoami())', ['account', a.ids.secret_a]],
      [`select rowscope.share_field($1, $2, 'credit_limit', rowscope.whoami(), true, false)`, ['account', a.ids.secret_a]],
    ];
    for (const [text, values] of calls) {
      const err = await a.org.refused('attacker', text, values);
      expect(['22023', '42501'], `${text}: ${err.message}`).toContain(err.code);
      expectNoSecret(err.message);
    }
  });
  it('the field lookup of a secured column returns null for any record id', async () => {
    const [fn] = await a.org.admin(`select p.oid::regproc::text as f from pg_proc p where p.proname like 'field_account__credit_limit_%'`);
    for (const persona of ['attacker', 'reader', 'victim']) {
      for (const id of [a.ids.secret_a, a.ids.secret_b, a.ids.mine]) {
        const [row] = await a.org.as(persona, `select ${fn.f}($1) as v`, [id]);
        expect(row.v, `${persona} ${id}`).toBeNull();
      }
    }
  });
  it('audit helpers: visibility is the caller\'s own, masking applies to what the caller passes', async () => {
    const [row] = await a.org.as('attacker', `select rowscope._audit_visible('account', $1, 'update') as other, rowscope._audit_visible('account', $2, 'update') as own,
      rowscope._audit_reader() as reader, rowscope._audit_masked_changes('account', $2, 'update', '{"credit_limit": {"old": 1, "new": 2}}') as masked`, [a.ids.secret_a, a.ids.mine]);
    expect(row).toEqual({ other: false, own: true, reader: false, masked: { credit_limit: { old: null, new: null } } });
    // the tables whose whole history the view shows at once: the caller's own
    // organization-depth reads only (the attacker reads account at user depth)
    const [open] = await a.org.as('attacker', 'select rowscope._audit_open_tables() as t');
    expect(open.t).toContain('audit_log');
    expect(open.t).not.toContain('account');
  });
  it('admin functions aimed at another user, team or BU are refused (no escalation)', async () => {
    const victim = a.org.id('victim');
    const calls: [string, unknown[]][] = [
      [`select rowscope.assign_role(rowscope.whoami(), 'reader_org')`, []],
      [`select rowscope.assign_role(rowscope.whoami(), 'system_administrator')`, []],
      [`select rowscope.remove_role($1, 'salesperson')`, [victim]],
      ['select rowscope.set_access_mode($1, $2)', [victim, 'read']],
      ['select rowscope.disable_user($1)', [victim]],
      ['select rowscope.enable_user($1)', [victim]],
      ['select rowscope.move_user(rowscope.whoami(), $1)', [a.org.bu('service')]],
      ['select rowscope.set_manager($1, rowscope.whoami())', [victim]],
      ['select rowscope.add_team_member($1, rowscope.whoami())', [a.org.id('victims')]],
      ['select rowscope.remove_team_member($1, $2)', [a.org.id('victims'), victim]],
      ['select rowscope.create_team($1, $2)', ['evil', a.org.bu('service')]],
      ['select rowscope.create_business_unit($1, $2)', ['evil', a.org.bu('root')]],
      ['select rowscope.create_user($1, $2)', [`${a.org.tag}_evil`, a.org.bu('sales')]],
      ['select rowscope._create_user($1, $2, null, $3)', [`${a.org.tag}_evil2`, a.org.bu('sales'), 'read_write']],
      ['select rowscope._create_user($1, $2, null, $3)', ['rowscope_authenticator', a.org.bu('sales'), 'read_write']],
      ['select rowscope.create_position($1, null)', ['evil']],
      [`select rowscope.add_profile_member('nonexistent', rowscope.whoami())`, []],
      [`select rowscope.purge_audit(now())`, []],
    ];
    for (const [text, values] of calls) {
      const err = await a.org.refused('attacker', text, values);
      expect(['42501', '22023'], `${text}: ${err.code} ${err.message}`).toContain(err.code);
    }
    const [role] = await a.org.admin(`select count(*)::int as n from pg_roles where rolname like $1`, [`${a.org.tag}_evil%`]);
    expect(role.n).toBe(0);
  });
  it('audit_retention_cutoff tells only the model\'s option (none here: null)', async () => {
    const [row] = await a.org.as('attacker', 'select rowscope.audit_retention_cutoff() as cut');
    expect(row).toEqual({ cut: null });
  });
  it('the security data views\' helpers (_sv_*, _is_deployment_admin) tell a caller only about themselves', async () => {
    // a share of the victim's record and one of the attacker's, both with the reader
    await a.org.admin(`select rowscope.grant_access('account', $1, $2, array['read'])`, [a.ids.secret_a, a.org.id('reader')]);
    await a.org.admin(`select rowscope.grant_access('account', $1, $2, array['read'])`, [a.ids.mine, a.org.id('reader')]);
    try {
      const probe = `select rowscope._sv_me() as me, rowscope._sv_my_principals() as principals, rowscope._sv_my_roles() as roles,
        rowscope._sv_all('account') as all_accounts, rowscope._sv_all('system_user') as all_users,
        rowscope._sv_any('account') as any_account, rowscope._sv_any('security_role') as any_role,
        rowscope._sv_share_org_tables() as share_org, rowscope._is_deployment_admin() as deployment_admin,
        array(select x.record_id from rowscope._sv_shareable('record_share') x) as shareable,
        array(select x.record_id from rowscope._sv_shareable('record_share x; select 1 --') x) as injected`;
      const expected = async (persona: string) => {
        const me = a.org.id(persona);
        const [team] = await a.org.admin('select t.id from rowscope.team t join rowscope.system_user u on u.business_unit_id = t.business_unit_id where u.id = $1 and t.is_default', [me]);
        const [roles] = await a.org.admin('select array_agg(distinct role_id order by role_id) as ids from rowscope.role_assignment where principal_id = any ($1)', [[me, team.id]]);
        return { me, principals: [me, team.id].sort(), roles: roles.ids ?? [] };
      };
      const sorted = (row: Record<string, unknown>) => ({ ...row, principals: (row.principals as string[]).sort(), roles: (row.roles as string[]).sort() });
      // the attacker (salesperson: read account at BU depth, share at user depth) learns
      // its own id, teams and roles, and only its own record's share
      const [attacker] = await a.org.as('attacker', probe);
      expect(sorted(attacker)).toEqual({
        ...(await expected('attacker')), all_accounts: false, all_users: false, any_account: true, any_role: false,
        share_org: [], deployment_admin: false, shareable: [a.ids.mine], injected: [],
      });
      // the same calls by the org reader answer for the reader, with the reader's privileges
      const [reader] = await a.org.as('reader', probe);
      expect(sorted(reader)).toMatchObject({ ...(await expected('reader')), all_accounts: true, deployment_admin: false, shareable: [], injected: [] });
      // a disabled user is nobody to them
      await a.org.admin('select rowscope.disable_user($1)', [a.org.id('victim')]);
      try {
        const [victim] = await a.org.as('victim', probe);
        expect(victim).toMatchObject({ me: null, principals: [], roles: [], all_accounts: false, any_account: false, share_org: [], shareable: [] });
      } finally {
        await a.org.admin('select rowscope.enable_user($1)', [a.org.id('victim')]);
      }
    } finally {
      await a.org.admin('select rowscope.revoke_access($1, $2, $3)', ['account', a.ids.secret_a, a.org.id('reader')]);
      await a.org.admin('select rowscope.revoke_access($1, $2, $3)', ['account', a.ids.mine, a.org.id('reader')]);
    }
  });
  it('has_privilege and field_read_mode answer for the caller', async () => {
    const [row] = await a.org.as('attacker', `select rowscope.has_privilege('export_to_excel') as misc, rowscope.field_read_mode('account', 'credit_limit') as mode`);
    expect(row).toEqual({ misc: false, mode: 0 });
  });
});
