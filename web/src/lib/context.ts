// What every page needs: the GraphQL client of the signed-in user, who that
// is, and the names the console can show for user ids.
import { createContext } from 'preact';
import type { Fetcher } from './graphql.ts';

export interface Person {
  id: string;
  /** db_role, e.g. bob */
  label: string;
  detail?: string;
}

export interface Session {
  gql: Fetcher;
  me?: string;
  /** Users the console knows by id: the system_user view when exposed, else the demo's list. */
  people: Person[];
}

export const SessionContext = createContext<Session>({
  gql: () => Promise.reject(new Error('not signed in')),
  people: [],
});

export function personName(people: Person[], id: string | null | undefined): string {
  if (!id) return '—';
  return people.find((p) => p.id === id)?.label ?? `${id.slice(0, 8)}…`;
}
