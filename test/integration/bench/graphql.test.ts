// `rowscope bench --graphql` at a tiny scale and for a few seconds
// (docs/performance.md, "GraphQL throughput"; a tool, never a timed test): both
// servers answer the same first page, the JSON has the shape the bench
// reports, and the login role the bench made for rowscope's request pool is
// gone afterwards (roles are cluster-wide). No rate or ratio is asserted.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { withClient } from '../../../src/db/client.ts';
import { rolePrefix } from '../../../src/bench/load.ts';
import { benchDatabase, dropBenchDatabase, formatGraphql, graphqlThroughput, sizesFor, type GraphqlThroughput } from '../../../src/bench/index.ts';

const name = `bench_gql_${randomBytes(4).toString('hex')}`;
const serverUrl = inject('adminUrl');
let url: string;
let result: GraphqlThroughput;
const loginRoles = async () => withClient(url, async (c) =>
  (await c.query<{ r: string }>("select rolname as r from pg_roles where rolname like $1 || '%graphql'", [rolePrefix(name)])).rows.map((x) => x.r));

beforeAll(async () => {
  url = await benchDatabase({ serverUrl, name, sizes: sizesFor(0.001), reuse: false, say: () => {} });
  result = await graphqlThroughput({ url, clients: 16, seconds: 2, say: () => {} });
}, 300_000);
afterAll(async () => {
  await dropBenchDatabase(serverUrl, name);
});

describe('rowscope bench --graphql at scale 0.001', () => {
  it('reports graphql: {clients, rls_req_s, limit_req_s, ratio}', () => {
    expect(result.clients).toBe(16);
    expect(result.rls_req_s).toBeGreaterThan(0);
    expect(result.limit_req_s).toBeGreaterThan(0);
    expect(result.ratio).toBeCloseTo(result.rls_req_s / result.limit_req_s, 1);
    expect(JSON.parse(JSON.stringify({ graphql: result }))).toEqual({
      graphql: expect.objectContaining({ clients: 16, rls_req_s: expect.any(Number), limit_req_s: expect.any(Number), ratio: expect.any(Number) }),
    });
    expect(formatGraphql(result)).toMatch(/rowscope \d+ req\/s, plain PostGraphile \d+ req\/s, ratio \d\.\d\d/);
  });

  it('both servers answered every request, with the same 20 accounts', () => {
    expect(result.persona).toBe('org');
    expect(result.rows_match).toBe(true);
  });

  it('drops the login it made for rowscope\'s request pool', async () => {
    expect(await loginRoles()).toEqual([]);
  });
});
