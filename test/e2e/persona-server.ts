// rowscope's GraphQL server on a test database, with a client that signs each
// persona's token, and the afterAll that closes server, org and database
// (most e2e files start the same way).
import { afterAll } from 'vitest';
import { signToken, startServer } from '../../src/server/index.ts';
import type { TestDatabase } from '../support/database.ts';
import type { Org } from '../support/org.ts';
import { gqlClient, type GqlClient, type RunningServer } from './graphql-client.ts';

export const E2E_JWT_SECRET = 'rowscope-test-secret-0123456789abcdef';

export async function personaServer(db: TestDatabase, org: Org): Promise<{ server: RunningServer; api: GqlClient }> {
  const server = await startServer({ databaseUrl: db.url, port: 0, host: '127.0.0.1', jwtSecret: E2E_JWT_SECRET });
  return { server, api: gqlClient(server.url, (persona) => signToken(E2E_JWT_SECRET, org.id(persona))) };
}

/** Registers the afterAll that closes what beforeAll opened (whatever of it exists). */
export function closeAfterAll(opened: () => { server?: RunningServer; org?: Org; db?: TestDatabase }): void {
  afterAll(async () => {
    const { server, org, db } = opened();
    await server?.close();
    await org?.close();
    await db?.drop();
  });
}
