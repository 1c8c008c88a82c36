// An organization as text a person can read (the BU tree indented, then users,
// teams, records and shares): how the differential tests print a shrunk
// counterexample.
import type { Organization } from './organization.ts';

export function describeOrganization(org: Organization): string {
  const lines: string[] = ['business units:'];
  const walk = (parent: string | null, indent: string) => {
    for (const bu of org.businessUnits.filter((b) => b.parentId === parent)) {
      lines.push(`${indent}${bu.id}`);
      walk(bu.id, `${indent}  `);
    }
  };
  walk(null, '  ');
  const rolesOf = (principal: string) =>
    org.assignments
      .filter((a) => a.principalId === principal)
      .map((a) => `${a.role}${a.businessUnitId ? ` in ${a.businessUnitId}` : ''}${a.inheritance === 'direct_user_and_team' ? ' (direct_user_and_team)' : ''}`);
  lines.push('users:');
  for (const u of org.users) {
    const flags = [
      u.accessMode,
      ...(u.disabled ? ['DISABLED'] : []),
      ...(u.managerId ? [`manager ${u.managerId}`] : []),
      ...(u.positionId ? [`position ${u.positionId}`] : []),
    ];
    lines.push(`  ${u.id} in ${u.businessUnitId}, ${flags.join(', ')}; roles: ${rolesOf(u.id).join(', ') || '-'}`);
  }
  if (org.teams.length) lines.push('teams:');
  for (const t of org.teams) {
    lines.push(`  ${t.id} (${t.type}${t.isDefault ? ', default' : ''}) in ${t.businessUnitId}; members: ${t.members.join(', ') || '-'}; roles: ${rolesOf(t.id).join(', ') || '-'}`);
  }
  const ownDepths = Object.entries(org.tables).filter(([, t]) => t.hierarchyDepth !== undefined);
  if (org.hierarchy && org.hierarchy.model !== 'none' && ownDepths.length) {
    lines.push(`hierarchy depth: ${org.hierarchy.depth}; ${ownDepths.map(([name, t]) => `${name} ${t.hierarchyDepth}`).join(', ')}`);
  }
  if (org.positions?.length) {
    lines.push('positions:');
    for (const p of org.positions) lines.push(`  ${p.id}${p.parentId ? ` under ${p.parentId}` : ''}`);
  }
  if (org.profileMembers?.length) lines.push('field security profile members:');
  for (const m of org.profileMembers ?? []) lines.push(`  ${m.profile}: ${m.principalId}`);
  lines.push('records:');
  for (const [table, rows] of Object.entries(org.records)) {
    for (const r of rows) {
      const parents = Object.entries(r.parents ?? {}).filter(([, p]) => p).map(([col, p]) => `, ${col} ${p}`).join('');
      lines.push(`  ${table} ${r.id}${r.ownerId ? ` owned by ${r.ownerId} in ${r.owningBusinessUnitId}` : ''}${parents}`);
    }
  }
  if (org.shares.length) lines.push('shares:');
  for (const s of org.shares) {
    const origin = [s.inheritedFrom ? `inherited from ${s.inheritedFrom.table} ${s.inheritedFrom.recordId}` : '', s.sharedBy ? `by ${s.sharedBy}` : ''].filter(Boolean).join(', ');
    lines.push(`  ${s.table} ${s.recordId} with ${s.principalId}: ${s.rights.join(', ')}${origin ? ` (${origin})` : ''}`);
  }
  if (org.fieldShares?.length) lines.push('field shares:');
  for (const f of org.fieldShares ?? []) {
    lines.push(`  ${f.table} ${f.recordId}.${f.column} with ${f.principalId}: ${[...(f.canRead ? ['read'] : []), ...(f.canUpdate ? ['update'] : [])].join(', ')}`);
  }
  return lines.join('\n');
}
