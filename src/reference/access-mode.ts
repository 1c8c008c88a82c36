// docs/security-model.md rule 1: an enabled user whose access mode allows the privilege.
// Every table the evaluator knows is a business (model) table; the built-in
// security tables are not evaluated here.
import type { Privilege } from '../model/types.ts';
import type { User } from './organization.ts';

/** Why rule 1 stops the user, or null when it lets the privilege through. */
export function modeRefusal(user: User, privilege: Privilege): string | null {
  if (user.disabled) return 'the user is disabled';
  switch (user.accessMode) {
    case 'administrative':
      return 'access mode administrative gives nothing on business tables';
    case 'read':
      // "reads only: every insert, update, delete and share is refused"
      return privilege === 'read' ? null : 'access mode read allows reading only';
    case 'read_write':
    case 'non_interactive':
      return null;
  }
}
