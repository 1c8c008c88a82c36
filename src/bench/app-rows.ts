// The bench's own application rows (docs/performance.md "Bench data generation"):
// accounts and contacts, bulk-inserted as the superuser with the row triggers off
// (session_replication_role = replica; as the deployment administrator the guard
// trigger would only stamp the system columns, which the insert sets itself:
// created_by / modified_by null, timestamps spread over time rather than now()).
//
// Two things make this cheap at enterprise sizes:
// - No row looks another up in a big table. A contact's account is
//   `(j * m2) mod A`, and its id and owner are computed from that number the
//   way the account's were, so a contact joins only the small owner table (a
//   hash join) instead of probing 3-10 million accounts by a random key (~80 µs
//   a contact at scale 3). The rows are the same as when they were looked up.
// - The tables' indexes and constraints are dropped before the insert and built
//   after it from their own definitions (pg_get_indexdef / pg_get_constraintdef),
//   each one sort instead of millions of random btree inserts; the foreign key is
//   added back validated, so the database ends as the migration left it.
import type pg from 'pg';
import { coprime, type Sizes } from './sizes.ts';

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/**
 * What a bulk load drops and builds again on `tables` (schema-qualified
 * names): foreign keys on or to them, their index-backed constraints, their
 * other indexes. Each entry is [drop statement, create statement], in drop
 * order; build them again in reverse order.
 */
export async function deferrableIndexes(q: Query, tables: string[]): Promise<[string, string][]> {
  const { rows } = await q(`
    with t as (select to_regclass(x) as oid from unnest($1::text[]) x)
    select d, c from (
      select 1 as o, con.conname::text as n,
             format('alter table %s drop constraint %I', con.conrelid::regclass, con.conname) as d,
             format('alter table %s add constraint %I %s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid)) as c
      from pg_constraint con
      where con.contype = 'f' and (con.conrelid in (select oid from t) or con.confrelid in (select oid from t))
      union all
      select 2, con.conname::text,
             format('alter table %s drop constraint %I', con.conrelid::regclass, con.conname),
             format('alter table %s add constraint %I %s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid))
      from pg_constraint con
      where con.contype in ('p', 'u', 'x') and con.conrelid in (select oid from t)
      union all
      select 3, i.indexrelid::regclass::text, format('drop index %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
      from pg_index i
      where i.indrelid in (select oid from t)
        and not exists (select from pg_constraint con where con.conindid = i.indexrelid and con.contype in ('p', 'u', 'x'))
    ) s order by o, n`, [tables]);
  return (rows as { d: string; c: string }[]).map((r) => [r.d, r.c]);
}

/** One definition per line: the indexes and constraints of `tables`, to compare two databases. */
export async function indexDefinitions(q: Query, tables: string[]): Promise<string[]> {
  const { rows } = await q(`
    select pg_get_indexdef(i.indexrelid) as d from pg_index i where i.indrelid = any($1::regclass[])
    union all
    select format('%s %I %s%s', con.conrelid::regclass, con.conname, pg_get_constraintdef(con.oid),
                  case when con.convalidated then '' else ' (not validated)' end)
    from pg_constraint con where con.conrelid = any($1::regclass[]) and con.contype in ('p', 'u', 'x', 'f')
    order by 1`, [tables]);
  return (rows as { d: string }[]).map((r) => r.d);
}

/** The multipliers of the deterministic shuffles: `i * m mod n` visits every residue once. */
function shuffles(sizes: Sizes) {
  const owners = sizes.users - 1;
  return {
    owners,
    ownerOfAccount: coprime(owners, 7919),
    accountOfContact: coprime(sizes.accounts, 104729),
    ownerOfContact: coprime(owners, 6007),
  };
}

/**
 * The accounts: one in ten owned by a team; modified_on is unique
 * (i * K mod a prime) and unrelated to the owner. `bench_any_owner(team, k, id,
 * bu)` numbers the user owners (k < users - 1) and the teams (k < teams).
 */
export function accountInsert(sizes: Sizes): string {
  const s = shuffles(sizes);
  return `
    insert into app.account (id, name, revenue, owner_id, owning_business_unit, created_by, created_on, modified_by, modified_on)
    select md5('a' || i)::uuid,
           translate(substr(md5('n' || i), 1, 12), '0123456789', 'ghijklmnop'),
           (i % 1000) * 1000,
           o.id, o.bu, null, ts - interval '30 days', null, ts
    from generate_series(0, ${sizes.accounts - 1}) i
    cross join lateral (select timestamptz '2020-01-01' + make_interval(secs => ((i::bigint * 2654435761) % 4294967291) / 100.0) as ts,
                               i % 10 = 0 as team) t
    join bench_any_owner o
      on o.team = t.team
     and o.k = case when t.team then (i / 10) % ${sizes.teams} else ((i::bigint * ${s.ownerOfAccount}) % ${s.owners})::int end`;
}

/**
 * The contacts: two per account on average, seven in ten owned by their
 * account's owner (computed as accountInsert computes it), the rest by a
 * shuffled user.
 */
export function contactInsert(sizes: Sizes): string {
  const s = shuffles(sizes);
  return `
    insert into app.contact (id, name, email, account_id, owner_id, owning_business_unit, created_by, created_on, modified_by, modified_on)
    select md5('c' || j)::uuid,
           translate(substr(md5('m' || j), 1, 12), '0123456789', 'ghijklmnop'),
           'c' || j || '@example.com',
           md5('a' || x.a)::uuid, o.id, o.bu, null, ts - interval '30 days', null, ts
    from generate_series(0, ${sizes.contacts - 1}) j
    cross join lateral (select timestamptz '2020-01-01' + make_interval(secs => ((j::bigint * 2246822519) % 4294967291) / 100.0) as ts,
                               (j::bigint * ${s.accountOfContact}) % ${sizes.accounts} as a,
                               j % 10 < 7 as same) x
    join bench_any_owner o
      on o.team = (x.same and x.a % 10 = 0)
     and o.k = case when not x.same then ((j::bigint * ${s.ownerOfContact}) % ${s.owners})::int
                    when x.a % 10 <> 0 then ((x.a * ${s.ownerOfAccount}) % ${s.owners})::int
                    else (x.a / 10)::int % ${sizes.teams} end`;
}
