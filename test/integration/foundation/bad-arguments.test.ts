// docs/reference.md: bad arguments raise 22023 (invalid_parameter_value) naming the
// argument, and change nothing. Called as the deployment administrator, so
// that no privilege check can answer first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminError, close, expectBadArgument, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let team: string;

beforeAll(async () => {
  f = await foundation();
  await f.org.createUser('u', 'sales', ['reader_user']);
  team = await f.org.createTeam('t', 'sales');
});
afterAll(() => close(f));

const unknown = '00000000-0000-4000-8000-000000000000';

describe('22023 naming the argument', () => {
  const cases: [string, string, () => unknown[]][] = [
    ['name', 'select rowscope.create_business_unit($1, $2)', () => ['', f.org.bu('sales')]],
    ['name', 'select rowscope.create_business_unit($1, $2)', () => [`${f.org.tag} sales`, f.org.bu('root')]], // exists already
    ['parent_id', 'select rowscope.create_business_unit($1, $2)', () => [`${f.org.tag} orphan`, unknown]],
    ['parent_id', 'select rowscope.create_business_unit($1, null)', () => [`${f.org.tag} second root`]],
    ['db_role', 'select rowscope.create_user($1, $2)', () => ['pg_monitor', f.org.bu('sales')]],
    ['db_role', 'select rowscope.create_user($1, $2)', () => ['a"; drop table x; --', f.org.bu('sales')]],
    ['db_role', 'select rowscope.create_user($1, $2)', () => [f.org.role('u'), f.org.bu('sales')]], // a rowscope user already
    ['business_unit_id', 'select rowscope.create_user($1, $2)', () => [f.org.role('nowhere'), unknown]],
    ['manager_id', 'select rowscope.create_user($1, $2, $3)', () => [f.org.role('no_manager'), f.org.bu('sales'), unknown]],
    ['access_mode', 'select rowscope.create_user($1, $2, null, $3)', () => [f.org.role('bad_mode'), f.org.bu('sales'), 'god']],
    ['user_id', 'select rowscope.move_user($1, $2)', () => [unknown, f.org.bu('sales')]],
    ['business_unit_id', 'select rowscope.move_user($1, $2)', () => [f.org.id('u'), unknown]],
    ['access_mode', 'select rowscope.set_access_mode($1, $2)', () => [f.org.id('u'), 'everything']],
    ['user_id', 'select rowscope.set_access_mode($1, $2)', () => [unknown, 'read']],
    ['user_id', 'select rowscope.disable_user($1)', () => [unknown]],
    ['user_id', 'select rowscope.enable_user($1)', () => [unknown]],
    ['name', 'select rowscope.create_team($1, $2)', () => [' ', f.org.bu('sales')]],
    ['team_type', 'select rowscope.create_team($1, $2, $3)', () => [`${f.org.tag} typed`, f.org.bu('sales'), 'secret']],
    ['business_unit_id', 'select rowscope.create_team($1, $2)', () => [`${f.org.tag} nowhere`, unknown]],
    ['team_id', 'select rowscope.add_team_member($1, $2)', () => [unknown, f.org.id('u')]],
    ['user_id', 'select rowscope.add_team_member($1, $2)', () => [team, unknown]],
    ['team_id', 'select rowscope.remove_team_member($1, $2)', () => [unknown, f.org.id('u')]],
    ['role_name', 'select rowscope.assign_role($1, $2)', () => [f.org.id('u'), 'no_such_role']],
    ['principal_id', 'select rowscope.assign_role($1, $2)', () => [unknown, 'reader_user']],
    ['inheritance', 'select rowscope.assign_role($1, $2, null, $3)', () => [team, 'reader_user', 'all']],
    ['role_name', 'select rowscope.remove_role($1, $2)', () => [f.org.id('u'), 'reader_org']], // not held
  ];
  it.each(cases.map(([arg, text, values], i) => ({ i, arg, text, values })))('#$i $arg: $text', async ({ arg, text, values }) => {
    expectBadArgument(await adminError(f.org, text, values()), arg);
  });
});

describe('nothing is half-done', () => {
  it('a refused create_user leaves no LOGIN role and no user behind', async () => {
    const { org } = f;
    await adminError(org, 'select rowscope.create_user($1, $2, $3)', [org.role('half'), org.bu('sales'), unknown]);
    expect(await org.admin('select from pg_roles where rolname = $1', [org.role('half')])).toHaveLength(0);
    expect(await org.admin('select from rowscope.system_user where db_role = $1', [org.role('half')])).toHaveLength(0);
  });
  it('a refused assign_role leaves the assignments as they were', async () => {
    const { org } = f;
    const before = await org.admin('select count(*)::int as n from rowscope.role_assignment');
    await adminError(org, `select rowscope.assign_role($1, 'reader_user', null, 'sideways')`, [team]);
    expect(await org.admin('select count(*)::int as n from rowscope.role_assignment')).toEqual(before);
  });
});
