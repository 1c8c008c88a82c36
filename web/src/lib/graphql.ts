// The console's whole GraphQL client: one POST to /graphql with the signed-in
// user's token. Every read and every action goes through here, so the server
// decides what the user sees and may do; a refusal comes back as a GqlError
// carrying the database's message and SQLSTATE (42501, 22023).

export class GqlError extends Error {
  constructor(message: string, readonly code?: string, readonly status?: number) {
    super(message);
  }
}

export type Fetcher = <T = any>(query: string, variables?: Record<string, unknown>) => Promise<T>;

export function graphqlClient(token: string, endpoint = '/graphql'): Fetcher {
  return async <T,>(query: string, variables?: Record<string, unknown>) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = await res.json();
    } catch {
      throw new GqlError(`the server answered ${res.status} ${res.statusText}`, undefined, res.status);
    }
    const first = body.errors?.[0];
    if (first) throw new GqlError(first.message, first.extensions?.code, res.status);
    if (!res.ok || body.data === undefined) throw new GqlError(`the server answered ${res.status}`, undefined, res.status);
    return body.data;
  };
}

/** True when the error says the schema has no such field (a view this server does not expose). */
export function isMissingField(error: unknown): boolean {
  return error instanceof GqlError && /^Cannot query field/.test(error.message);
}
