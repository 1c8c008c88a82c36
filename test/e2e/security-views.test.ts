// The security data views through GraphQL (src/server/security-views.ts):
// connections named by PostGraphile's conventions, their relations, the same
// rows per persona as through SQL (test/integration/security-views), no write
// mutations on them, and the admin functions as mutations run as the signed-in
// user, refusals arriving with their 42501 message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, signToken } from '../../src/server/index.ts';
import { closeViews, column, viewsOrg, type ViewsOrg } from '../integration/security-views/setup.ts';
import { gqlClient, type GqlClient, type RunningServer } from './graphql-client.ts';

const SECRET = 'rowscope-test-secret-0123456789abcdef';

let v: ViewsOrg;
let server: RunningServer;
let api: GqlClient;

beforeAll(async () => {
  v = await viewsOrg();
  server = await startServer({ databaseUrl: v.db.url, port: 0, host: '127.0.0.1', jwtSecret: SECRET });
  api = gqlClient(server.url, (persona) => signToken(SECRET, v.org.id(persona)));
});
afterAll(async () => {
  await server?.close();
  await closeViews(v);
});

const USERS = `{ allSystemUsers(orderBy: DB_ROLE_ASC) { totalCount nodes { id dbRole accessMode isDisabled
  businessUnitByBusinessUnitId { name } systemUserByManagerId { dbRole } } } }`;

describe('connections per persona', () => {
  it('each persona gets the rows SQL gives it', async () => {
    for (const persona of ['sys', 'sys_read', 'env', 'bu_admin', 'deep_admin', 'plain']) {
      const data = await api.ok(persona, USERS);
      const ids = data.allSystemUsers.nodes.map((n: { id: string }) => n.id).sort();
      expect(ids, persona).toEqual(await column(v, persona, 'system_user', 'id'));
      expect(data.allSystemUsers.totalCount).toBe(ids.length);
    }
  });

  it('relations: user → business unit and manager, filtered like the views', async () => {
    const deep = await api.ok('deep_admin', USERS);
    const plain = deep.allSystemUsers.nodes.find((n: { id: string }) => n.id === v.org.id('plain'));
    expect(plain.businessUnitByBusinessUnitId.name).toBe(`${v.org.tag} east`);
    expect(plain.systemUserByManagerId.dbRole).toBe(v.org.role('bu_admin'));
    // plain may not read business units: its own user row's BU comes back null
    const own = await api.ok('plain', USERS);
    expect(own.allSystemUsers.nodes).toEqual([expect.objectContaining({ id: v.org.id('plain'), businessUnitByBusinessUnitId: null })]);
  });

  it('relations: team → business unit and members; BU → parent and children', async () => {
    const data = await api.ok('sys', `{ allTeams(orderBy: NAME_ASC) { nodes { name isDefault businessUnitByBusinessUnitId { name }
        teamMembersByTeamId { nodes { systemUserByUserId { dbRole } } } } }
      businessUnitByName(name: "${v.org.tag} sales") { businessUnitByParentId { name } businessUnitsByParentId { nodes { name } } } }`);
    type TeamNode = { name: string; isDefault: boolean; businessUnitByBusinessUnitId: { name: string };
      teamMembersByTeamId: { nodes: { systemUserByUserId: { dbRole: string } }[] } };
    const teams = data.allTeams.nodes.map((t: TeamNode) => ({ name: t.name, isDefault: t.isDefault, bu: t.businessUnitByBusinessUnitId.name,
      members: t.teamMembersByTeamId.nodes.map((m) => m.systemUserByUserId.dbRole).sort() }));
    const t = (name: string) => `${v.org.tag} ${name}`;
    const roles = (...personas: string[]) => personas.map((p) => v.org.role(p)).sort();
    // Every BU's default team (sql/074) is named after it and holds its users.
    expect(teams).toEqual([
      { name: 'Organization', isDefault: true, bu: 'Organization', members: roles('sys', 'sys_read', 'env') },
      { name: t('east'), isDefault: true, bu: t('east'), members: roles('plain', 'disabled') },
      { name: t('east_team'), isDefault: false, bu: t('east'), members: roles('plain') },
      { name: t('hr'), isDefault: true, bu: t('hr'), members: roles('other', 'manager') },
      { name: t('hr_team'), isDefault: false, bu: t('hr'), members: roles('other') },
      { name: t('sales'), isDefault: true, bu: t('sales'), members: roles('bu_admin', 'deep_admin') },
    ]);
    expect(data.businessUnitByName.businessUnitByParentId.name).toBe('Organization');
    expect(data.businessUnitByName.businessUnitsByParentId.nodes).toEqual([{ name: `${v.org.tag} east` }]);
  });

  it('relations: role → privileges; role assignment → user or team and role', async () => {
    const data = await api.ok('other', `{ allRoleAssignments(orderBy: ROLE_NAME_ASC) { nodes { roleName
        systemUserByPrincipalId { dbRole } teamByPrincipalId { name }
        securityRoleByRoleName { name rolePrivilegesByRoleName(orderBy: PRIVILEGE_ASC) { nodes { tableName privilege depth } } } } } }`);
    expect(data.allRoleAssignments.nodes).toEqual([
      { roleName: 'employee', systemUserByPrincipalId: { dbRole: v.org.role('other') }, teamByPrincipalId: null,
        securityRoleByRoleName: { name: 'employee', rolePrivilegesByRoleName: { nodes: [
          { tableName: 'account', privilege: 'create', depth: 'user' }, { tableName: 'account', privilege: 'read', depth: 'user' },
          { tableName: 'account', privilege: 'share', depth: 'user' }, { tableName: 'account', privilege: 'write', depth: 'user' }] } } },
      { roleName: 'team_reader', systemUserByPrincipalId: null, teamByPrincipalId: { name: `${v.org.tag} hr_team` },
        securityRoleByRoleName: { name: 'team_reader', rolePrivilegesByRoleName: { nodes: [{ tableName: 'contact', privilege: 'read', depth: 'business_unit' }] } } },
    ]);
  });

  it('a disabled user\'s token gets nothing from the views', async () => {
    const res = await api.post('disabled', '{ allSystemUsers { totalCount } allTeams { totalCount } }');
    // the server may refuse a disabled user outright; if it answers, it answers nothing
    if (res.status === 200 && res.body.data) {
      expect(res.body.data).toEqual({ allSystemUsers: { totalCount: 0 }, allTeams: { totalCount: 0 } });
    } else {
      expect(res.status).toBe(401);
    }
  });
});

describe('read-only, and changes through the admin mutations', () => {
  it('the views have no create/update/delete mutations', async () => {
    const data = await api.ok('sys', '{ __schema { mutationType { fields { name } } } }');
    const names: string[] = data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(names.filter((n) => /^(create|update|delete)(SystemUser|BusinessUnit|Team|RoleAssignment|RecordShare|SecurityRole|AuditLog)/.test(n))).toEqual([]);
    for (const m of ['rowscopeCreateUser', 'rowscopeMoveUser', 'rowscopeDisableUser', 'rowscopeEnableUser', 'rowscopeSetAccessMode',
      'rowscopeSetManager', 'rowscopeSetPosition', 'rowscopeAssignRole', 'rowscopeRemoveRole', 'rowscopeCreateTeam', 'rowscopeAddTeamMember',
      'rowscopeRemoveTeamMember', 'rowscopeCreateBusinessUnit', 'rowscopeGrantAccess', 'rowscopeModifyAccess', 'rowscopeRevokeAccess',
      'rowscopeAssign', 'rowscopeAddAccessTeamMember', 'rowscopeRemoveAccessTeamMember', 'rowscopeAddProfileMember', 'rowscopeRemoveProfileMember']) {
      expect(names, m).toContain(m);
    }
  });

  it('an admin mutation runs as the signed-in user: allowed in scope, then visible in the view', async () => {
    const data = await api.ok('env', `mutation($u: UUID!) { rowscopeSetAccessMode(input: { userId: $u, accessMode: "read" }) { clientMutationId } }`,
      { u: v.org.id('other') });
    expect(data.rowscopeSetAccessMode).toEqual({ clientMutationId: null });
    const after = await api.ok('env', `query($u: UUID!) { systemUserById(id: $u) { accessMode } }`, { u: v.org.id('other') });
    expect(after.systemUserById.accessMode).toBe('read');
  });

  it('a refused admin mutation reaches the client with its 42501 message and changes nothing', async () => {
    const res = await api.post('bu_admin', `mutation($u: UUID!) { rowscopeDisableUser(input: { userId: $u }) { clientMutationId } }`,
      { u: v.org.id('plain') });
    expect(res.body.errors?.[0].extensions).toEqual({ code: '42501' });
    expect(res.body.errors?.[0].message).toContain(`${v.org.role('bu_admin')} lacks write on system_user`);
    expect(await v.org.admin('select is_disabled from rowscope.system_user where id = $1', [v.org.id('plain')])).toEqual([{ is_disabled: false }]);
  });

  it('explain_access and verify_audit are queries any user may run for themselves', async () => {
    const account = await v.org.record('account', 'gql_account', 'plain');
    const data = await api.ok('plain', `query($id: UUID!) { rowscopeCheckAccess(tableName: "account", recordId: $id)
      rowscopeExplainAccess(tableName: "account", recordId: $id) { nodes { accessRight granted reasons } } }`, { id: account });
    expect(data.rowscopeCheckAccess).toContain('share');
    expect(data.rowscopeExplainAccess.nodes.find((n: { accessRight: string }) => n.accessRight === 'delete').granted).toBe(false);
    // verify_audit is a Query field (STABLE, sql/230), not a mutation: the chain is intact
    const audit = await api.ok('sys', '{ rowscopeVerifyAudit { totalCount nodes { id problem } } }');
    expect(audit.rowscopeVerifyAudit).toEqual({ totalCount: 0, nodes: [] });
  });
});
