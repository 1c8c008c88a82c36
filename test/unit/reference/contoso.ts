// A hand-made organization for the reference evaluator's unit tests:
//   root ─ sales ─ emea
//        └ service
// alice, dave in sales; bob in emea; carol in service. Owner team team_sales
// (sales: alice), team_emea (emea: dave); access team deal_room (service: carol).
import type { Organization, RoleAssignment, User } from '../../../src/reference/index.ts';

const user = (id: string, businessUnitId: string, extra: Partial<User> = {}): User => ({ id, businessUnitId, accessMode: 'read_write', disabled: false, ...extra });

export function contoso(assignments: RoleAssignment[] = [], patch: Partial<Organization> = {}): Organization {
  return {
    tables: { account: { ownership: 'user' }, product: { ownership: 'organization' } },
    businessUnits: [
      { id: 'root', parentId: null },
      { id: 'sales', parentId: 'root' },
      { id: 'emea', parentId: 'sales' },
      { id: 'service', parentId: 'root' },
    ],
    users: [user('alice', 'sales'), user('bob', 'emea'), user('carol', 'service'), user('dave', 'sales')],
    teams: [
      { id: 'team_sales', businessUnitId: 'sales', type: 'owner', members: ['alice'] },
      { id: 'team_emea', businessUnitId: 'emea', type: 'owner', members: ['dave'] },
      { id: 'deal_room', businessUnitId: 'service', type: 'access', members: ['carol'] },
    ],
    roles: [
      { name: 'read_user', privileges: { account: { read: 'user' } } },
      { name: 'read_bu', privileges: { account: { read: 'business_unit' } } },
      { name: 'read_deep', privileges: { account: { read: 'parent_child' } } },
      { name: 'read_org', privileges: { account: { read: 'organization' } } },
      { name: 'writer_user', privileges: { account: { read: 'user', write: 'user' } } },
      { name: 'create_user', privileges: { account: { create: 'user' } } },
      { name: 'create_bu', privileges: { account: { create: 'business_unit' } } },
      { name: 'catalog', privileges: { product: { read: 'organization', create: 'organization' } } },
    ],
    assignments,
    records: {
      account: [
        { id: 'a_alice', ownerId: 'alice', owningBusinessUnitId: 'sales' },
        { id: 'a_dave', ownerId: 'dave', owningBusinessUnitId: 'sales' },
        { id: 'a_bob', ownerId: 'bob', owningBusinessUnitId: 'emea' },
        { id: 'a_carol', ownerId: 'carol', owningBusinessUnitId: 'service' },
        { id: 'a_team_sales', ownerId: 'team_sales', owningBusinessUnitId: 'sales' },
        { id: 'a_team_emea', ownerId: 'team_emea', owningBusinessUnitId: 'emea' },
      ],
      product: [{ id: 'p1', ownerId: null, owningBusinessUnitId: null }],
    },
    shares: [],
    ...patch,
  };
}

/** A role held by a user directly (in their own BU). */
export const holds = (principalId: string, role: string): RoleAssignment => ({ principalId, role, businessUnitId: null, inheritance: 'team_only' });
