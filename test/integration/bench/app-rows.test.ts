// The bench's bulk load of its application rows (src/bench/app-rows.ts) drops the
// app tables' indexes and constraints and builds them again afterwards, and
// computes each contact's account and owner instead of looking them up: the
// loaded database must end with exactly the indexes, constraints and triggers a
// migrated one has, and with the rows the lookups gave.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDatabase, adminUrlFor, dropDatabase, withClient } from '../../../src/db/client.ts';
import { indexDefinitions } from '../../../src/bench/app-rows.ts';
import { migrateBenchDatabase } from '../../../src/bench/database.ts';
import { benchDatabase, dropBenchDatabase, sizesFor } from '../../../src/bench/index.ts';

const serverUrl = inject('adminUrl');
const loaded = `bench_rows_${randomBytes(4).toString('hex')}`;
const migrated = `bench_rows_ref_${randomBytes(4).toString('hex')}`;
const sizes = sizesFor(0.002);
const tables = ['app.account', 'app.contact'];
let url: string;

type Row = Record<string, unknown>;
const catalog = (u: string) => withClient(u, async (c) => {
  const q = (text: string, values?: unknown[]) => c.query(text, values);
  const { rows: triggers } = await q(`
    select tgrelid::regclass::text as t, case when tgisinternal then 'RI' else tgname end as name, tgenabled as enabled,
           tgfoid::regproc::text as fn
    from pg_trigger where tgrelid = any($1::regclass[]) order by 1, 2, 4, 3`, [tables]);
  return { indexes: await indexDefinitions(q, tables), triggers: triggers as Row[] };
});

beforeAll(async () => {
  url = await benchDatabase({ serverUrl, name: loaded, sizes, reuse: false, say: () => {} });
  await createDatabase(serverUrl, migrated);
  await migrateBenchDatabase(adminUrlFor(serverUrl, migrated));
}, 300_000);
afterAll(async () => {
  await dropBenchDatabase(serverUrl, loaded);
  await dropDatabase(serverUrl, migrated);
});

describe('the bench load of accounts and contacts', () => {
  it('ends with the indexes, constraints and triggers the migration gave the app tables', async () => {
    const expected = await catalog(adminUrlFor(serverUrl, migrated));
    const actual = await catalog(url);
    // the migration indexes the system columns, and contact has its foreign key
    expect(expected.indexes.length).toBeGreaterThanOrEqual(11);
    expect(expected.indexes.some((d) => d.includes('FOREIGN KEY (account_id) REFERENCES app.account(id)'))).toBe(true);
    expect(actual.indexes).toEqual(expected.indexes);
    expect(actual.triggers).toEqual(expected.triggers);
  });

  it('leaves every rebuilt index valid and ready', async () => {
    await withClient(url, async (c) => {
      const { rows: [n] } = await c.query<{ total: number; bad: number }>(
        `select count(*)::int as total, count(*) filter (where not (indisvalid and indisready and indislive))::int as bad
         from pg_index where indrelid = any($1::regclass[])`, [tables]);
      expect(n!.total).toBeGreaterThanOrEqual(11);
      expect(n!.bad).toBe(0);
    });
  });

  it('gives each contact its account and, seven in ten, its account\'s owner', async () => {
    await withClient(url, async (c) => {
      const { rows: [n] } = await c.query<{ contacts: number; joined: number; same: number; sameWanted: number; teamAccounts: number }>(`
        select (select count(*)::int from app.contact) as contacts,
               (select count(*)::int from app.contact c join app.account a on a.id = c.account_id) as joined,
               (select count(*)::int from app.contact c join app.account a on a.id = c.account_id
                where a.owner_id = c.owner_id and a.owning_business_unit = c.owning_business_unit
                  and split_part(substr(c.email, 2), '@', 1)::int % 10 < 7) as same,
               (select count(*)::int from app.contact where split_part(substr(email, 2), '@', 1)::int % 10 < 7) as "sameWanted",
               (select count(*)::int from app.account a join rowscope.team t on t.id = a.owner_id) as "teamAccounts"`);
      expect(n!.contacts).toBe(sizes.contacts);
      expect(n!.joined).toBe(sizes.contacts);
      expect(n!.same).toBe(n!.sameWanted);
      expect(n!.sameWanted).toBe(Math.ceil(sizes.contacts * 0.7));
      expect(n!.teamAccounts).toBe(sizes.accounts / 10);
      // every owner is in the owner's business unit
      const { rows: [mismatch] } = await c.query<{ n: number }>(`
        select count(*)::int as n from (
          select owner_id, owning_business_unit from app.account union all select owner_id, owning_business_unit from app.contact) r
        left join rowscope.system_user u on u.id = r.owner_id left join rowscope.team t on t.id = r.owner_id
        where coalesce(u.business_unit_id, t.business_unit_id) is distinct from r.owning_business_unit`);
      expect(mismatch!.n).toBe(0);
    });
  });
});
