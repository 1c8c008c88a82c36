// A tiny GraphQL-over-HTTP client for the e2e tests: one POST per call, the
// persona's token in the Authorization header.
import { expect } from 'vitest';

// startServer's authenticatorPassword in the e2e tests. Roles are cluster-wide
// and test files run in parallel: one fixed password for every file that sets
// it on rowscope_authenticator, so no server invalidates another's logins.
export const E2E_AUTHENTICATOR_PASSWORD = 'rowscope-e2e-authenticator-0123456789';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export interface GqlResponse {
  status: number;
  body: { data?: any; errors?: any[] };
}

export interface GqlClient {
  /** POST with an explicit Authorization header (or none). */
  raw(authorization: string | undefined, query: string, variables?: unknown): Promise<Response>;
  /** POST as the persona. */
  post(persona: string, query: string, variables?: unknown): Promise<GqlResponse>;
  /** POST as the persona, expecting 200 and no errors; returns `data`. */
  ok(persona: string, query: string, variables?: unknown): Promise<any>;
}

export function gqlClient(baseUrl: string, tokenFor: (persona: string) => Promise<string>): GqlClient {
  const raw = (authorization: string | undefined, query: string, variables?: unknown) =>
    fetch(`${baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  const post = async (persona: string, query: string, variables?: unknown) => {
    const res = await raw(`Bearer ${await tokenFor(persona)}`, query, variables);
    return { status: res.status, body: (await res.json()) as GqlResponse['body'] };
  };
  const ok = async (persona: string, query: string, variables?: unknown) => {
    const res = await post(persona, query, variables);
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    expect(res.status).toBe(200);
    return res.body.data;
  };
  return { raw, post, ok };
}
