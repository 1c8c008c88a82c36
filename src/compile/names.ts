import { createHash } from 'node:crypto';
import type { TableModel } from '../model/types.ts';

// Access classes (DESIGN §3-4): a user's login is a member of exactly one per table.
export const USER_OWNED_CLASSES = ['org', 'bu', 'bu_shared', 'user', 'user_shared', 'none'] as const;
export const ORGANIZATION_OWNED_CLASSES = ['org', 'none'] as const;
export type AccessClass = (typeof USER_OWNED_CLASSES)[number];

export function classesOf(table: TableModel): readonly AccessClass[] {
  return table.ownership === 'user' ? USER_OWNED_CLASSES : ORGANIZATION_OWNED_CLASSES;
}

const MAX_ROLE_BYTES = 63;

/** rowscope_<table>_read_<class>; long table names are shortened with a hash so the name stays unique. */
export function classRoleName(table: string, cls: AccessClass): string {
  const full = `rowscope_${table}_read_${cls}`;
  if (Buffer.byteLength(full) <= MAX_ROLE_BYTES) return full;
  const hash = createHash('sha256').update(table).digest('hex').slice(0, 6);
  const room = MAX_ROLE_BYTES - `rowscope__${hash}_read_${cls}`.length;
  return `rowscope_${table.slice(0, room)}_${hash}_read_${cls}`;
}

export function classRoles(table: TableModel): Record<string, string> {
  return Object.fromEntries(classesOf(table).map((cls) => [cls, classRoleName(table.name, cls)]));
}
