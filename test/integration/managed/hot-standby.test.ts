// A hot standby serves rowscope users (docs/operations.md "Replicas"): a base
// backup of a running primary (pg_basebackup -R where the server's packages
// ship it, the low-level backup API otherwise: test/support/cluster.ts) starts
// as a streaming replica; every user of the Contoso organization reads there
// exactly what they read on the primary -- on a pooled connection after
// SET ROLE and on their own login -- and reading writes nothing (a standby
// refuses every write: a per-session cache or a login audit row that wrote
// would make the read fail). Writes are refused with read_only_sql_transaction
// and a change on the primary reaches the standby's readers.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminUrlFor, withClient } from '../../../src/db/client.ts';
import { caughtUp, freshCluster, hotStandby, serverBinDir, type Cluster } from '../../support/cluster.ts';
import { recordAnswers, type UserAnswers } from '../upgrade/answers.ts';
import type { LoadedOrg } from '../upgrade/org.ts';
import { signToken, startServer } from '../../../src/server/index.ts';
import { gqlClient } from '../../e2e/graphql-client.ts';
import { contosoDatabase } from './contoso.ts';

const SECRET = 'rowscope-standby-test-secret-0123456789';

const DB = 'contoso';
let primary: Cluster | undefined;
let standby: Cluster | undefined;
let org: LoadedOrg;
let primaryUrl: string;
let standbyUrl: string;

const asLogin = (base: string, login: string) => {
  const u = new URL(adminUrlFor(base, DB));
  u.username = login;
  return u.toString();
};

beforeAll(async () => {
  primary = await freshCluster(serverBinDir());
  ({ url: primaryUrl, org } = await contosoDatabase(primary.url, DB));
  standby = await hotStandby(primary);
  standbyUrl = adminUrlFor(standby.url, DB);
  await caughtUp(primary, standby);
}, 120_000);
afterAll(async () => {
  await standby?.stop();
  await primary?.stop();
});

describe('a hot standby of a rowscope database', () => {
  it('serves GraphQL: rowscope serve on the standby answers a user\'s query as the primary does', async () => {
    const server = await startServer({ databaseUrl: standbyUrl, port: 0, host: '127.0.0.1', jwtSecret: SECRET, production: false });
    try {
      const api = gqlClient(server.url, (persona) => signToken(SECRET, org.ids[persona]!));
      const query = '{ allAccounts(orderBy: NAME_ASC) { nodes { id } } }';
      const ids = (await api.ok('alice', query)).allAccounts.nodes.map((n: { id: string }) => n.id).sort();
      const onPrimary = await withClient(primaryUrl, async (c) => {
        await c.query('begin');
        await c.query(`select set_config('role', $1, true)`, [org.logins.alice]);
        const { rows } = await c.query('select id::text from api.account order by 1');
        await c.query('rollback');
        return rows.map((r) => r.id);
      });
      expect(onPrimary.length).toBeGreaterThan(1);
      expect(ids).toEqual(onPrimary);
    } finally {
      await server.close();
    }
  });

  it('is a standby in recovery, streaming from the primary', async () => {
    expect(await withClient(standbyUrl, async (c) => (await c.query('select pg_is_in_recovery() as r')).rows[0].r)).toBe(true);
    const senders = await withClient(primary!.url, async (c) => (await c.query("select state from pg_stat_replication")).rows);
    expect(senders).toEqual([{ state: 'streaming' }]);
  });

  it('gives every user, after SET ROLE, the answers the primary gives (views, check_access, secured columns)', async () => {
    const onPrimary = await recordAnswers(primaryUrl, org);
    const onStandby: Record<string, UserAnswers> = await recordAnswers(standbyUrl, org);
    expect(Object.keys(onPrimary).sort()).toEqual(Object.keys(org.logins).sort());
    // the organization is not empty for anyone that matters: alice sees her accounts
    expect(onPrimary.alice!.views.account!.length).toBeGreaterThan(1);
    expect(onStandby).toEqual(onPrimary);
  });

  it('serves a user on their own login, and reading left no trace to replicate', async () => {
    const login = org.logins.alice!;
    await withClient(primary!.url, (c) => c.query(`alter role ${login} login`));
    await caughtUp(primary!, standby!);
    const read = (base: string) => withClient(asLogin(base, login), async (c) =>
      (await c.query('select id::text from api.account order by 1')).rows.map((r) => r.id));
    const mine = await read(primary!.url);
    expect(mine.length).toBeGreaterThan(1);
    expect(await read(standby!.url)).toEqual(mine);
  });

  it('refuses writes on the standby (read_only_sql_transaction) and shows the primary\'s changes', async () => {
    const account = org.records.account_alice_1!.id;
    const asAlice = async (url: string, text: string, values: unknown[]) => withClient(url, async (c) => {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [org.logins.alice]);
      try { return (await c.query(text, values)).rows; } finally { await c.query('rollback'); }
    });
    const refused = await asAlice(standbyUrl, "update api.account set city = 'Rome' where id = $1", [account])
      .then(() => 'written', (e: { code?: string }) => e.code);
    expect(refused).toBe('25006');
    await withClient(primaryUrl, async (c) => {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [org.logins.alice]);
      await c.query("update api.account set city = 'Rome' where id = $1", [account]);
      await c.query('commit');
    });
    await caughtUp(primary!, standby!);
    expect(await asAlice(standbyUrl, 'select city from api.account where id = $1', [account])).toEqual([{ city: 'Rome' }]);
  });
});
