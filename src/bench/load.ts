// Loads the synthetic organization (docs/performance.md) into a migrated bench database,
// as the superuser, in one session (the plan tables are temporary).
//
// Security data goes through the SQL API's bulk forms (sql/150..153: one
// set-based statement per kind, the catalog's own triggers on: class refresh,
// closures, audit), so the state is what the API produces. The users are
// created without logins (create_users' defer_logins) and get their logins and
// access classes last, set-based (sql/050 _refresh_classes), once the security
// data is complete. Shares are given in slices ordered by principal, a
// transaction each: the commit chains the slice's audit rows (sql/200), so no
// transaction chains millions of them at once. Accounts and contacts are bulk-inserted
// set-based with the row triggers off and their indexes built afterwards
// (src/bench/app-rows.ts). Everything is deterministic except the ids that
// gen_random_uuid() gives BUs, users and teams. Each step's rows and seconds
// are returned (and kept in the database for a later run that reuses it).
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { accountInsert, contactInsert, deferrableIndexes } from './app-rows.ts';
import { coprime, SPECIAL_USERS, type Sizes } from './sizes.ts';

type Say = (line: string) => void;

/**
 * Users' LOGIN roles are cluster-wide, and a role's class memberships follow
 * the database that refreshed them last: each bench database names its users
 * after itself, so two bench databases on one server never share a user.
 */
export function rolePrefix(database: string): string {
  // rowscope_* role names are rowscope's own (create_user refuses them)
  return `${database.replace(/^rowscope_/, '').slice(0, 50)}_`;
}

export async function currentDatabase(client: pg.ClientBase): Promise<string> {
  return (await client.query<{ d: string }>('select current_database() as d')).rows[0]!.d;
}

/** One step of the load, as the bench JSON reports it (`load: [{step, rows, seconds, backend_cpu_seconds?}]`). */
export interface LoadStep {
  step: string;
  rows: number;
  seconds: number;
  /**
   * CPU time (user + system) the loading backend spent on the step, when the
   * server runs on this machine (the embedded PostgreSQL): on a shared machine
   * the wall time mostly measures the load, the backend's CPU time much less.
   */
  backend_cpu_seconds?: number;
}

/** The backend's CPU seconds so far from /proc/<pid>/stat (utime + stime), or null when it is not readable here. */
async function backendCpu(pid: number | null): Promise<number | null> {
  if (pid === null) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

function stepper(say: Say, steps: LoadStep[], pid: number | null) {
  return async (step: string, rows: number, what: string, fn: () => Promise<unknown>): Promise<void> => {
    const started = Date.now();
    const cpuBefore = await backendCpu(pid);
    await fn();
    const seconds = (Date.now() - started) / 1000;
    const cpuAfter = await backendCpu(pid);
    const cpu = cpuBefore !== null && cpuAfter !== null ? Math.round((cpuAfter - cpuBefore) * 10) / 10 : undefined;
    steps.push({ step, rows, seconds: Math.round(seconds * 10) / 10, ...(cpu !== undefined ? { backend_cpu_seconds: cpu } : {}) });
    const rate = seconds > 0 && rows > 1 ? `, ${Math.round(rows / seconds)}/s` : '';
    const cpuRate = cpu !== undefined ? `; backend CPU ${cpu.toFixed(1)} s${cpu > 0 && rows > 1 ? `, ${Math.round(rows / cpu)}/s` : ''}` : '';
    say(`  ${what} (${seconds.toFixed(1)} s${rate}${cpuRate})`);
  };
}

/** The BU tree: root; 4 at level 2; 16 at level 3; the rest at level 4. */
const BU_PLAN = `
create temp table bench_bu as
select b as i,
       case when b = 0 then null when b <= 4 then 0 when b <= 20 then 1 + (b - 5) / 4 else 5 + (b - 21) % 16 end as parent,
       null::uuid as id
from generate_series(0, $1::int - 1) b`;

/**
 * Users: 0 org reader, 1 BU reader, 2 parent_child reader, 3 user-depth reader,
 * 4 manager, 5 no privilege; 6..10 report to the manager, 11..55 to 6..10 (50
 * reports within three levels, all in the manager's BU). Generic users from 56
 * on: BU (i - 56) % 100, and within a BU a 4-ary manager tree.
 */
const USER_PLAN = `
create temp table bench_user as
select i,
       $2 || case i when 0 then 'org' when 1 then 'bu' when 2 then 'deep' when 3 then 'user'
                    when 4 then 'manager' when 5 then 'none'
                    else 'u' || lpad(i::text, 5, '0') end as db_role,
       case when i = 0 then 21 when i = 1 then 22 when i = 2 then 1 when i = 3 then 23 when i = 5 then 25
            when i < ${SPECIAL_USERS} then 24 else (i - ${SPECIAL_USERS}) % 100 end as bu,
       case when i between 6 and 10 then 4
            when i between 11 and ${SPECIAL_USERS - 1} then 6 + (i - 11) / 9
            when i >= ${SPECIAL_USERS} and (i - ${SPECIAL_USERS}) / 100 > 0
              then ${SPECIAL_USERS} + (((i - ${SPECIAL_USERS}) / 100 - 1) / 4) * 100 + (i - ${SPECIAL_USERS}) % 100
       end as manager,
       case i when 0 then array['salesperson', 'org_reader'] when 1 then array['salesperson', 'bu_reader']
              when 2 then array['salesperson', 'deep_reader'] when 5 then array[]::text[]
              else array['salesperson'] end as roles,
       null::uuid as id
from generate_series(0, $1::int - 1) i`;

/** Items per bulk call: a slice's JSON stays a few MB, and progress shows between slices. */
const USER_SLICE = 2_000;
const SHARE_SLICE = 50_000;
const LOGIN_SLICE = 2_000;
/** The bench's application tables, loaded with their indexes and constraints built afterwards. */
const APP_TABLES = ['app.account', 'app.contact'];
/** maintenance_work_mem of the index builds: the largest (20 million contact ids at scale 10) sorts in a few hundred MB. */
const INDEX_BUILD_MEMORY = '512MB';

export async function loadOrganization(client: pg.ClientBase, sizes: Sizes, say: Say): Promise<LoadStep[]> {
  const q = (text: string, values?: unknown[]) => client.query(text, values);
  const steps: LoadStep[] = [];
  const { rows: [backend] } = await q('select pg_backend_pid() as pid');
  const timed = stepper(say, steps, (backend as { pid: number } | undefined)?.pid ?? null);
  say(`loading the organization (scale ${sizes.scale}): ${sizes.businessUnits} business units, ${sizes.users} users, ` +
      `${sizes.teams} teams, ${sizes.accounts} accounts, ${sizes.contacts} contacts, ${sizes.shares} shares`);

  await timed('business_units', sizes.businessUnits, `${sizes.businessUnits} business units (create_business_unit)`, async () => {
    await q(BU_PLAN, [sizes.businessUnits]);
    await q(`update bench_bu set id = rowscope.root_business_unit() where i = 0 and rowscope.root_business_unit() is not null`);
    const { rows } = await q(`select i, parent from bench_bu order by i`);
    for (const row of rows as { i: number; parent: number | null }[]) {
      if (row.parent === null) {
        await q(`update bench_bu set id = coalesce(id, rowscope.create_business_unit('bench root', null)) where i = 0`);
      } else {
        await q(`update bench_bu b set id = rowscope.create_business_unit('bench bu ' || b.i, p.id)
                 from bench_bu p where b.i = $1 and p.i = b.parent`, [row.i]);
      }
    }
  });

  await q(USER_PLAN, [sizes.users, rolePrefix(await currentDatabase(client))]);
  // the users' logins and classes are made once, at the end (logins step)
  await timed('users', sizes.users, `${sizes.users} users (create_users, logins deferred)`, async () => {
    for (let from = 0; from < sizes.users; from += USER_SLICE) {
      await q(`update bench_user u set id = c.id
               from rowscope.create_users((
                 select jsonb_agg(jsonb_build_object('db_role', u.db_role, 'business_unit_id', b.id) order by u.i)
                 from bench_user u join bench_bu b on b.i = u.bu where u.i >= $1 and u.i < $2), true) c
               where c.db_role = u.db_role`, [from, from + USER_SLICE]);
      say(`    ${Math.min(from + USER_SLICE, sizes.users)}/${sizes.users} users`);
    }
  });
  const { rows: [roleCount] } = await q(`select count(*)::int as n from bench_user u cross join unnest(u.roles) r`);
  await timed('role_assignments', roleCount.n, `${roleCount.n} role assignments (assign_roles)`, () =>
    q(`select rowscope.assign_roles((select jsonb_agg(jsonb_build_object('principal_id', u.id, 'role_name', r) order by u.i, r)
                                     from bench_user u cross join unnest(u.roles) r))`));
  const { rows: [managerCount] } = await q(`select count(*)::int as n from bench_user where manager is not null`);
  await timed('managers', managerCount.n, `${managerCount.n} managers (set_managers)`, () =>
    q(`select rowscope.set_managers((select jsonb_agg(jsonb_build_object('user_id', u.id, 'manager_id', m.id) order by u.i)
                                     from bench_user u join bench_user m on m.i = u.manager))`));

  await timed('teams', sizes.teams, `${sizes.teams} owner teams (create_team)`, () =>
    q(`create temp table bench_team as
       select t as i, rowscope.create_team('bench team ' || t, b.id) as id
       from generate_series(0, $1::int - 1) t join bench_bu b on b.i = (t * 7) % 100`, [sizes.teams]));
  // every generic user in one team; the user-depth persona in five
  await q(`create temp table bench_member as
           select t.id as team_id, u.id as user_id from bench_user u join bench_team t on t.i = (u.i - ${SPECIAL_USERS}) % $1
           where u.i >= ${SPECIAL_USERS}
           union all
           select t.id, u.id from bench_user u join bench_team t on t.i < 5 where u.i = 3`, [sizes.teams]);
  const { rows: [memberCount] } = await q(`select count(*)::int as n from bench_member`);
  await timed('team_members', memberCount.n, `${memberCount.n} team members (add_team_members)`, () =>
    q(`select rowscope.add_team_members((select jsonb_agg(jsonb_build_object('team_id', team_id, 'user_id', user_id)) from bench_member))`));

  // owners: every user but the one without privileges (0..n-1), and the teams
  await q(`create temp table bench_owner as
           select row_number() over (order by u.i)::int - 1 as k, u.id, s.business_unit_id as bu
           from bench_user u join rowscope.system_user s on s.id = u.id where u.i <> 5`);
  await q(`create temp table bench_team_owner as
           select t.i as k, t.id, tm.business_unit_id as bu from bench_team t join rowscope.team tm on tm.id = t.id`);
  await q('create unique index on bench_owner (k)');
  await q('create unique index on bench_team_owner (k)');
  await q(`create temp table bench_any_owner as
           select false as team, k, id, bu from bench_owner union all select true, k, id, bu from bench_team_owner`);
  await q('analyze bench_owner; analyze bench_team_owner; analyze bench_any_owner');
  const owners = sizes.users - 1;
  const A = sizes.accounts;
  const m3 = coprime(A, 1987);
  const m4 = coprime(A, 7907);

  // the index builds sort in memory (src/bench/app-rows.ts); the commits of
  // this session need not wait for the WAL flush (a crash loses the build anyway)
  await q(`set maintenance_work_mem = '${INDEX_BUILD_MEMORY}'`);
  await q('set synchronous_commit = off');
  const deferred = await deferrableIndexes(q, APP_TABLES);
  for (const [drop] of deferred) await q(drop);
  await q(`set session_replication_role = replica`);
  try {
    await timed('accounts', A, `${A} accounts`, () => q(accountInsert(sizes)));
    await timed('contacts', sizes.contacts, `${sizes.contacts} contacts`, () => q(contactInsert(sizes)));
  } finally {
    await q(`set session_replication_role = origin`);
  }
  await timed('app_indexes', 0, `${deferred.length} indexes and constraints of the app tables built`, async () => {
    for (const [, create] of [...deferred].reverse()) await q(create);
  });
  // visibility map and statistics once, before the share cascade joins contacts to accounts
  await timed('app_vacuum_analyze', 0, 'vacuum analyze of the app tables', () => q('vacuum analyze app.account, app.contact'));

  // the share plan, then grant_access_bulk (its cascade gives the contacts their inherited shares)
  await q(`
    create temp table bench_share as
    select 'account'::text as t, md5('a' || ((k::bigint * ${m3}) % ${A}))::uuid as record_id, u.id as principal_id,
           array['read', 'write'] as rights
    from generate_series(0, $1::int - 1) s(k) join bench_user u on u.i = 3
    union all
    select 'account', md5('a' || ((s.k::bigint * ${m4} + 13) % ${A}))::uuid,
           case when s.k % 10 = 0 then t.id else g.id end,
           case when s.k % 3 = 0 then array['read'] else array['read', 'write'] end
    from generate_series(0, $2::int - 1) s(k)
    join bench_team t on t.i = s.k % $3
    join bench_owner g on g.k = ${SPECIAL_USERS - 1} + s.k % (${owners} - ${SPECIAL_USERS - 1})`,
    [sizes.personaShares, sizes.shares - sizes.personaShares, sizes.teams]);
  await q(`alter table bench_share add column slice int`);
  await q(`update bench_share s set slice = o.n / ${SHARE_SLICE}
           from (select ctid, (row_number() over (order by principal_id, record_id) - 1)::int as n from bench_share) o
           where o.ctid = s.ctid`);
  const slices = Math.ceil(sizes.shares / SHARE_SLICE);
  await timed('shares', sizes.shares, `${sizes.shares} account shares (grant_access_bulk; ${sizes.personaShares} with the user-depth persona, ` +
    'one in ten with a team) and their cascaded contact shares', async () => {
    for (let slice = 0; slice < slices; slice++) {
      // (autocommit: a transaction per slice)
      await q(`select rowscope.grant_access_bulk('account', (
                 select jsonb_agg(jsonb_build_object('record_id', record_id, 'principal_id', principal_id, 'rights', rights))
                 from bench_share where slice = $1))`, [slice]);
      if (slices > 1) say(`    ${Math.min((slice + 1) * SHARE_SLICE, sizes.shares)}/${sizes.shares} shares`);
    }
  });
  // The logins and classes in slices, a transaction each, for the progress
  // line: the refresh is set-based (one GRANT per class role for the slice),
  // and each transaction holds the lock on the cluster-wide rowscope_user
  // (granted last) only for its commit. The users have no login until then;
  // nobody else uses the bench database. The slices go from the last user to
  // the first: a manager comes before their reports (USER_PLAN), and a slice's
  // refresh also re-derives the classes of its users' superiors that have a
  // login (sql/050 _refresh_principals), so in user order 1,800 of scale 3's
  // 6,000 users were derived twice; from the end, the superiors have none yet.
  await timed('logins', sizes.users, `${sizes.users} logins and their access classes (create_user_logins, ${LOGIN_SLICE} a transaction)`, async () => {
    for (let to = sizes.users; to > 0; to -= LOGIN_SLICE) {
      await q(`select rowscope.create_user_logins(array(select id from bench_user where i >= $1 and i < $2 order by i))`,
              [Math.max(0, to - LOGIN_SLICE), to]);
      say(`    ${sizes.users - Math.max(0, to - LOGIN_SLICE)}/${sizes.users} logins`);
    }
  });
  await timed('vacuum_analyze', 0, 'vacuum analyze', () => q('vacuum analyze'));
  return steps;
}
