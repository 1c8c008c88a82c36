// The model option `auditRetention`: how long audit history is kept, as
// '<n> days|weeks|months|years'. It sets the default cut-off of
// rowscope.purge_audit (sql/235_audit_retention.sql turns it into a time with
// now() - interval), so it must be an interval PostgreSQL reads the same way
// and whose cut-off stays within timestamptz's range.
import * as z from 'zod';

const UNITS = ['day', 'week', 'month', 'year'] as const;
type Unit = (typeof UNITS)[number];
const PATTERN = /^\s*(\d+)\s*(day|week|month|year)s?\s*$/i;

/** Whole units of this kind that make 1000 years (the longest retention accepted). */
const MAX: Record<Unit, number> = { day: 365_250, week: 52_179, month: 12_000, year: 1000 };

export function parseRetention(value: string): { n: number; unit: Unit } | { problem: string } {
  const match = PATTERN.exec(value);
  if (!match) return { problem: `'${value}' is not a retention; write it as '<n> days', '<n> weeks', '<n> months' or '<n> years' (e.g. '90 days')` };
  const n = Number(match[1]);
  const unit = match[2]!.toLowerCase() as Unit;
  if (n < 1) return { problem: `'${value}' keeps no history; give at least 1 ${unit}` };
  if (n > MAX[unit]) return { problem: `'${value}' is more than 1000 years; give at most ${MAX[unit]} ${unit}s` };
  return { n, unit };
}

/** The canonical form ('90 days', '1 year'): what the catalog stores and PostgreSQL casts to interval. */
export function normalizeRetention(value: string): string {
  const parsed = parseRetention(value);
  if ('problem' in parsed) throw new Error(parsed.problem);
  return `${parsed.n} ${parsed.unit}${parsed.n === 1 ? '' : 's'}`;
}

export const auditRetentionSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseRetention(value);
  if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
});
