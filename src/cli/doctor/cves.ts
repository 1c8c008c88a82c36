// PostgreSQL vulnerabilities that touch row level security, one line each:
// the first minor release that fixes it in each major version. A major newer
// than every listed one is fixed; a major without an entry below the newest
// listed one never got the fix (it was out of support) and counts as affected.
// `mitigation` says what rowscope does about it, for warnings.

export interface Cve {
  id: string;
  level: 'error' | 'warn';
  /** what goes wrong, in one line */
  summary: string;
  /** major version → first fixed server_version_num */
  fixedIn: Record<number, number>;
  mitigation?: string;
}

export const CVES: Cve[] = [
  { id: 'CVE-2024-10976', level: 'error', summary: 'RLS policies below subqueries disregard user ID changes (a plan reused after SET ROLE or a security-definer call applies the wrong user\'s policies)', fixedIn: { 17: 170002, 16: 160006, 15: 150010, 14: 140015, 13: 130018 } },
  { id: 'CVE-2026-14666', level: 'warn', summary: 'a prepared statement keeps its RLS plan after the user\'s role memberships change', fixedIn: { 18: 180006, 17: 170011, 16: 160015, 15: 150019 }, mitigation: 'rowscope mitigates it by invalidating the cached plans of the tables concerned on every membership change (docs/architecture.md)' },
];
