// Random organizations for the admin-surface property test: the differential
// suite's organizations (BUs, users with random roles — most of the admin
// fixture's roles are admin roles with partial privileges on the security
// tables —, access modes, disabled users, owner and access teams with roles,
// accounts, shares, profile members, field shares, managers), plus contacts
// under accounts (shares and assigns cascade to them), as the admin
// reference's organization.
import fc from 'fast-check';
import type { Model, Right } from '../../../../src/model/types.ts';
import { describeOrganization, organizationFromModel, type AdminOrganization, type CascadeLink } from '../../../../src/reference/index.ts';
import { organizationArbitrary } from '../../differential/org-arbitrary.ts';

/** The admin reference's organization of a model, runtime data empty. */
export function adminModel(model: Model): AdminOrganization {
  return {
    ...organizationFromModel(model),
    links: [],
    accessTemplates: Object.fromEntries(model.tables.map((t) => [t.name, t.accessTeamTemplates as Record<string, Right[]>])),
    recordTeams: [],
  };
}

export function adminOrganizationArbitrary(model: AdminOrganization): fc.Arbitrary<AdminOrganization> {
  return fc
    .tuple(organizationArbitrary(model), fc.array(fc.record({ account: fc.nat(), owner: fc.nat() }), { maxLength: 5 }))
    .map(([generated, contacts]) => {
      const org: AdminOrganization = { ...model, ...generated, shares: generated.shares, links: [], recordTeams: [], records: { ...generated.records, contact: [] } };
      const accounts = org.records.account ?? [];
      const owners = [...org.users, ...org.teams.filter((t) => t.type === 'owner')];
      const links: CascadeLink[] = [];
      if (accounts.length > 0) {
        contacts.forEach((c, i) => {
          const owner = owners[c.owner % owners.length]!;
          org.records.contact!.push({ id: `c${i}`, ownerId: owner.id, owningBusinessUnitId: owner.businessUnitId });
          links.push({ table: 'contact', recordId: `c${i}`, parentTable: 'account', parentId: accounts[c.account % accounts.length]!.id });
        });
      }
      org.links = links;
      return Object.defineProperty(org, fc.toStringMethod, { value: () => `\n${describeAdmin(org)}\n`, enumerable: false });
    });
}

/** The organization in words, with the contacts' parents. */
export function describeAdmin(org: AdminOrganization): string {
  const contacts = org.links.map((l) => `${l.recordId} (under ${l.parentId}, owner ${org.records.contact?.find((c) => c.id === l.recordId)?.ownerId})`);
  const recordTeams = org.recordTeams.map((r) => `${r.teamId}`);
  return `${describeOrganization(org)}\ncontacts: ${contacts.join(', ') || '-'}\nrecord access teams: ${recordTeams.join(', ') || '-'}`;
}
