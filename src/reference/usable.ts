// Rights that cannot be used (issue 17 item 9): write, delete, append, assign
// and share act on a record the user must be able to read. An UPDATE or DELETE
// reaches only the rows the user sees (SPEC §7: rows the user cannot read are
// simply absent), and assign, grant_access and access teams take only a record
// the caller can read. append_to is checked on the target record without the
// user reading it. sql/400 _needs_read and sql/415 _usable_right are the same rule.
import type { Right } from '../model/types.ts';
import type { Decision } from './evaluate.ts';

export const NEEDS_READ: readonly Right[] = ['write', 'delete', 'append', 'assign', 'share'];

/** The held decision, or a denial saying why it cannot be used without read. */
export function usable(held: Decision, right: Right, read: () => Decision): Decision {
  if (!held.granted || !NEEDS_READ.includes(right)) return held;
  const r = read();
  if (r.granted) return held;
  return { granted: false, reasons: [`${right} needs read on the record (held through: ${held.reasons.join('; ')})`, ...r.reasons] };
}
