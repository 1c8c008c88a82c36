// The model's tables, as the GraphQL schema shows them: every `all<Plural>`
// connection whose node has an `id`, minus the security data views. Found by
// introspection (on outside production); without it the console asks for the
// table name instead.
import type { Fetcher } from './graphql.ts';

export interface RecordTable {
  /** the model's table name (what rowscope functions take), e.g. account */
  table: string;
  /** the connection field, e.g. allAccounts */
  connection: string;
  /** the node type, e.g. Account */
  type: string;
  /** a readable column to show, e.g. name */
  label: string;
  hasOwner: boolean;
}

const SECURITY_TYPES = new Set([
  'BusinessUnit', 'SystemUser', 'Team', 'TeamMember', 'Position', 'SecurityRole', 'RolePrivilege',
  'RoleMiscPrivilege', 'RoleAssignment', 'RecordShare', 'FieldSecurityProfile', 'FieldPermission',
  'FieldProfileMember', 'FieldShare', 'AuditLog',
]);

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';

interface TypeRef { kind: string; name: string | null; ofType?: TypeRef | null }

function named(t: TypeRef | null | undefined): string | null {
  while (t && !t.name) t = t.ofType;
  return t?.name ?? null;
}

/** Account → account, SalesOrder → sales_order (PostGraphile's inflection, reversed). */
export function tableName(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

export async function discoverTables(gql: Fetcher): Promise<RecordTable[]> {
  const root = await gql<{ __type: { fields: { name: string; type: TypeRef }[] } }>(
    `{ __type(name: "Query") { fields { name type { ${TYPE_REF} } } } }`);
  const connections = root.__type.fields
    .filter((f) => f.name.startsWith('all') && named(f.type)?.endsWith('Connection'))
    .map((f) => ({ connection: f.name, connectionType: named(f.type)! }));
  if (!connections.length) return [];
  const aliases = connections.map((c, i) => `t${i}: __type(name: ${JSON.stringify(c.connectionType)}) { fields { name type { ${TYPE_REF} } } }`);
  const conn = await gql<Record<string, { fields: { name: string; type: TypeRef }[] }>>(`{ ${aliases.join(' ')} }`);
  const nodeTypes = connections.map((c, i) => ({ ...c, type: named(conn[`t${i}`]?.fields.find((f) => f.name === 'nodes')?.type) }));
  const wanted = nodeTypes.filter((n): n is typeof n & { type: string } => !!n.type && !SECURITY_TYPES.has(n.type));
  if (!wanted.length) return [];
  const fieldsQuery = wanted.map((n, i) => `n${i}: __type(name: ${JSON.stringify(n.type)}) { fields { name } }`);
  const nodes = await gql<Record<string, { fields: { name: string }[] }>>(`{ ${fieldsQuery.join(' ')} }`);
  const tables: RecordTable[] = [];
  wanted.forEach((n, i) => {
    const fields = new Set((nodes[`n${i}`]?.fields ?? []).map((f) => f.name));
    if (!fields.has('id')) return;
    const label = ['name', 'fullName', 'title', 'subject', 'email'].find((f) => fields.has(f)) ?? 'id';
    tables.push({ table: tableName(n.type), connection: n.connection, type: n.type, label, hasOwner: fields.has('ownerId') });
  });
  return tables.sort((a, b) => a.table.localeCompare(b.table));
}
