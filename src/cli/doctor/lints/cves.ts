// One lint per known RLS vulnerability of PostgreSQL (../cves.ts): the server's
// minor version must include the fix. The version judged is ctx.cveVersion,
// which the CLI lets tests set (ROWSCOPE_DOCTOR_SERVER_VERSION_NUM).
import { CVES, type Cve } from '../cves.ts';
import type { Lint } from '../context.ts';

/** 180004 → "18.4"; 90624 → "9.6.24" (before 10, the major had two parts). */
export function versionText(num: number): string {
  return num >= 100000 ? `${Math.floor(num / 10000)}.${num % 10000}` : `${Math.floor(num / 10000)}.${Math.floor(num / 100) % 100}.${num % 100}`;
}

/** The fixed release the server should move to, or undefined when it is not affected. */
export function fixFor(cve: Cve, num: number): { fixed: number | undefined } | undefined {
  const major = num >= 100000 ? Math.floor(num / 10000) : 9;
  const fixed = cve.fixedIn[major];
  if (fixed !== undefined) return num < fixed ? { fixed } : undefined;
  const newest = Math.max(...Object.keys(cve.fixedIn).map(Number));
  return major > newest ? undefined : { fixed: undefined };
}

function lintFor(cve: Cve): Lint {
  return {
    name: `postgres_${cve.id.toLowerCase().replace(/-/g, '_')}`,
    level: cve.level,
    rule: `the PostgreSQL minor version includes the fix for ${cve.id} (${cve.summary})`,
    run: async (ctx) => {
      const affected = fixFor(cve, ctx.cveVersion);
      if (!affected) return [];
      const current = versionText(ctx.cveVersion);
      const newest = Math.max(...Object.values(cve.fixedIn));
      const upgrade = affected.fixed !== undefined
        ? `upgrade PostgreSQL to ${versionText(affected.fixed)} or later (a minor release: install it and restart)`
        : `upgrade PostgreSQL to a supported major version (${versionText(newest)} or later): ${current.split('.')[0]} never got the fix`;
      return [{
        object: `PostgreSQL ${current}`,
        message: `PostgreSQL ${current} is affected by ${cve.id}: ${cve.summary}${cve.mitigation ? `; ${cve.mitigation}` : ''}`,
        remedy: cve.mitigation ? `${upgrade}, when you can` : upgrade,
      }];
    },
  };
}

export const CVE_LINTS: Lint[] = CVES.map(lintFor);
