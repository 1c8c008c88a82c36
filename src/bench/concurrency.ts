// `rowscope bench --concurrency N` (docs/performance.md "Concurrency"): a mixed
// write workload of N clients for a fixed time, as bench users with their own
// rights (through the api views and the SQL API, RLS and the row guard on) and
// the same workload as the superuser (the app tables, no rights to check),
// alternating in rounds. Every write is committed on its own (autocommit); a
// 40001 or 40P01 is counted and the write retried. Afterwards every
// acknowledged write must be in the database (inserted rows, each update's
// increment, each assign's new owner, each share) and the audit chain must
// verify. The rows the run made are deleted at the end when the database is
// kept (a delete cascades per row: a minute for a 20 s run at scale 0.1).
import pg from 'pg';
import { currentDatabase, rolePrefix } from './load.ts';
import { round } from './stats.ts';
import { seededRandom } from '../lib/seeded-random.ts';

type Kind = 'insert' | 'insert_child' | 'update' | 'assign' | 'share';
type Mode = 'rls' | 'limit';

/** Out of 100: inserts (accounts, and contacts under one's own account: a child under a `reparent` relationship), updates, assigns, shares. */
const MIX: [Kind, number][] = [['insert', 25], ['insert_child', 15], ['update', 35], ['assign', 10], ['share', 15]];
/** Accounts each client owns before the clock starts (what its updates, assigns and shares pick from). */
const POOL = 10;
const NAME = 'bench concurrency';

export interface PhaseTotals {
  ops: number;
  seconds: number;
  ops_s: number;
  by_kind: Record<Kind, number>;
}

export interface ThroughputReport {
  clients: number;
  seconds: number;
  rls_ops_s: number;
  limit_ops_s: number;
  /** rls_ops_s / limit_ops_s */
  ratio: number;
  rls: PhaseTotals;
  limit: PhaseTotals;
  /** 40P01 errors (each write retried) */
  deadlocks: number;
  /** 40001 errors (each write retried) */
  serialization_failures: number;
  /** acknowledged writes not found afterwards */
  lost_writes: number;
  /** rowscope.verify_audit() afterwards: null when the chain verifies, else its first problem */
  audit_problem: string | null;
  audit_verified: boolean;
}

interface Actor {
  id: string;
  role: string;
  settings: [string, string][];
}

/** What one client's acknowledged writes leave behind, checked afterwards. */
export interface Ledger {
  accounts: Map<string, { owner: string; revenue: number }>;
  contacts: string[];
  shares: { record: string; principal: string }[];
}

function pickKind(r: number): Kind {
  let x = r * 100;
  for (const [kind, weight] of MIX) {
    if (x < weight) return kind;
    x -= weight;
  }
  return 'update';
}

/** The statements of one mode: as the user (RLS, the row guard) or as the superuser (no rights to check). */
function statements(mode: Mode, actor: Actor) {
  const q = (name: string, text: string) => ({ name: `conc_${mode}_${name}`, text });
  return mode === 'rls'
    ? {
        insert: (name: string) => ({ ...q('insert', 'insert into api.account (name, revenue) values ($1, 0) returning id'), values: [name] }),
        insertChild: (name: string, parent: string) => ({ ...q('child', 'insert into api.contact (name, account_id) values ($1, $2) returning id'), values: [name, parent] }),
        update: (id: string) => ({ ...q('update', 'update api.account set revenue = revenue + 1 where id = $1'), values: [id] }),
        assign: (id: string, to: string) => ({ ...q('assign', "select rowscope.assign('account', $1, $2)"), values: [id, to] }),
        share: (id: string, to: string) => ({ ...q('share', "select rowscope.grant_access('account', $1, $2, array['read'])"), values: [id, to] }),
      }
    : {
        insert: (name: string) => ({ ...q('insert', 'insert into app.account (name, revenue, owner_id) values ($1, 0, $2) returning id'), values: [name, actor.id] }),
        insertChild: (name: string, parent: string) => ({ ...q('child', 'insert into app.contact (name, account_id, owner_id) values ($1, $2, $3) returning id'), values: [name, parent, actor.id] }),
        update: (id: string) => ({ ...q('update', 'update app.account set revenue = revenue + 1 where id = $1'), values: [id] }),
        assign: (id: string, to: string) => ({ ...q('assign', "select rowscope.assign('account', $1, $2)"), values: [id, to] }),
        share: (id: string, to: string) => ({ ...q('share', "select rowscope.grant_access('account', $1, $2, array['read'])"), values: [id, to] }),
      };
}

interface Counters {
  deadlocks: number;
  serializationFailures: number;
}

/** Runs one write until it is acknowledged, counting (and retrying) deadlocks and serialization failures. */
async function write(client: pg.Client, s: { name: string; text: string; values: unknown[] }, counters: Counters): Promise<pg.QueryResult> {
  for (;;) {
    try {
      return await client.query(s);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === '40001') counters.serializationFailures++;
      else if (code === '40P01') counters.deadlocks++;
      else throw e;
    }
  }
}

async function connect(url: string, mode: Mode, actor: Actor): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  if (mode === 'rls') {
    // a login of this user: its role and the settings ALTER ROLE ... SET gives it
    await client.query(`select set_config('role', $1, false)`, [actor.role]);
    for (const [name, value] of actor.settings) await client.query('select set_config($1, $2, false)', [name, value]);
  }
  return client;
}

/** One client of one round: a pool of its own accounts, then writes until `until`. */
async function runClient(opts: {
  client: pg.Client; mode: Mode; actor: Actor; index: number; round: number; sinks: string[];
  ledger: Ledger; counters: Counters; start: Promise<number>; seconds: number;
}): Promise<{ ops: number; byKind: Record<Kind, number> }> {
  const { client, mode, actor, ledger, counters, sinks } = opts;
  const s = statements(mode, actor);
  const random = seededRandom(opts.index * 7919 + opts.round * 104729 + (mode === 'rls' ? 1 : 2));
  const tag = `${NAME} ${mode} r${opts.round} c${opts.index}`;
  const pool: string[] = [];
  const shared = new Set<string>();
  let n = 0;
  const insert = async () => {
    const id = (await write(client, s.insert(`${tag} ${n++}`), counters)).rows[0].id as string;
    ledger.accounts.set(id, { owner: actor.id, revenue: 0 });
    pool.push(id);
  };
  for (let i = 0; i < POOL; i++) await insert();
  // a first child too: it gives the owner a parent-owner read, which may change
  // its access class once (role grants) — before the clock, for both sides alike
  ledger.contacts.push((await write(client, s.insertChild(`${tag} ${n++}`, pool[0]!), counters)).rows[0].id as string);
  const byKind: Record<Kind, number> = { insert: 0, insert_child: 0, update: 0, assign: 0, share: 0 };
  let ops = 0;
  const until = (await opts.start) + opts.seconds * 1000;
  while (Date.now() < until) {
    let kind = pickKind(random());
    if (kind === 'assign' && pool.length <= 1) kind = 'insert';
    const id = pool[Math.floor(random() * pool.length)]!;
    switch (kind) {
      case 'insert':
        await insert();
        break;
      case 'insert_child': {
        const child = (await write(client, s.insertChild(`${tag} ${n++}`, id), counters)).rows[0].id as string;
        ledger.contacts.push(child);
        break;
      }
      case 'update': {
        const r = await write(client, s.update(id), counters);
        if (r.rowCount !== 1) throw new Error(`rowscope bench: ${actor.role} updated ${r.rowCount} rows of its own account ${id}`);
        ledger.accounts.get(id)!.revenue++;
        break;
      }
      case 'assign': {
        const to = sinks[Math.floor(random() * sinks.length)]!;
        await write(client, s.assign(id, to), counters);
        ledger.accounts.get(id)!.owner = to;
        pool.splice(pool.indexOf(id), 1);
        break;
      }
      case 'share': {
        const to = sinks[Math.floor(random() * sinks.length)]!;
        await write(client, s.share(id, to), counters);
        const key = `${id} ${to}`;
        if (!shared.has(key)) ledger.shares.push({ record: id, principal: to });
        shared.add(key);
        break;
      }
    }
    byKind[kind]++;
    ops++;
  }
  return { ops, byKind };
}

/** Acknowledged writes that are not in the database. */
export async function lostWrites(admin: pg.Client, ledger: Ledger): Promise<number> {
  const ids = [...ledger.accounts.keys()];
  const { rows } = await admin.query<{ id: string; owner_id: string; revenue: string }>(
    'select id, owner_id, revenue from app.account where id = any ($1::uuid[])', [ids]);
  const found = new Map(rows.map((r) => [r.id, r]));
  let lost = 0;
  for (const [id, want] of ledger.accounts) {
    const got = found.get(id);
    if (!got) lost += 1 + want.revenue; // the insert and every update of it
    else {
      if (got.owner_id !== want.owner) lost++;
      lost += Math.abs(want.revenue - Number(got.revenue));
    }
  }
  const { rows: [c] } = await admin.query<{ n: number }>('select count(*)::int as n from app.contact where id = any ($1::uuid[])', [ledger.contacts]);
  lost += ledger.contacts.length - c!.n;
  const { rows: [sh] } = await admin.query<{ n: number }>(
    `select count(*)::int as n from unnest($1::uuid[], $2::uuid[]) w(record_id, principal_id)
     where exists (select from rowscope.record_share s where s.table_name = 'account' and s.record_id = w.record_id
                     and s.principal_id = w.principal_id and s.inherited_from_record is null)`,
    [ledger.shares.map((x) => x.record), ledger.shares.map((x) => x.principal)]);
  lost += ledger.shares.length - sh!.n;
  return lost;
}

export async function runConcurrency(opts: {
  url: string;
  clients: number;
  /** per mode, split over the rounds */
  seconds: number;
  rounds?: number;
  /** delete the run's rows afterwards (default true) */
  cleanup?: boolean;
  say: (line: string) => void;
}): Promise<ThroughputReport> {
  const { url, clients, say } = opts;
  const rounds = opts.rounds ?? 2;
  const admin = new pg.Client({ connectionString: url });
  admin.on('error', () => {});
  await admin.connect();
  const open: pg.Client[] = [];
  try {
    const prefix = rolePrefix(await currentDatabase(admin));
    // the generic users (salesperson: create, read, write, assign, share at user depth) act; users who
    // hold shares already receive the shares and assigns (their access class stays)
    const { rows: users } = await admin.query<{ id: string; role: string; oid: number; shared: boolean }>(
      `select u.id, u.db_role as role, r.oid::int as oid,
              exists (select from rowscope.record_share s where s.table_name = 'account' and s.principal_id = u.id) as shared
       from rowscope.system_user u join pg_roles r on r.rolname = u.db_role
       where starts_with(u.db_role, $1 || 'u') order by u.db_role`, [prefix]);
    const sinks = users.filter((u) => u.shared).map((u) => u.id).slice(0, 20);
    const candidates = users.filter((u) => !sinks.includes(u.id));
    if (candidates.length < clients || sinks.length === 0) {
      throw new Error(`rowscope bench: --concurrency ${clients} needs ${clients} bench users and one holding shares; this scale has ${candidates.length} and ${sinks.length}`);
    }
    const actors: Actor[] = [];
    for (const u of candidates.slice(0, clients)) {
      const { rows } = await admin.query<{ s: string }>(
        `select unnest(setconfig) as s from pg_db_role_setting
         where setrole = $1 and setdatabase in (0, (select oid from pg_database where datname = current_database())) order by setdatabase`, [u.oid]);
      actors.push({ id: u.id, role: u.role, settings: rows.map((r) => [r.s.slice(0, r.s.indexOf('=')), r.s.slice(r.s.indexOf('=') + 1)]) });
    }
    const sessions: Record<Mode, pg.Client[]> = { rls: [], limit: [] };
    for (const mode of ['rls', 'limit'] as const) {
      for (const actor of actors) {
        const c = await connect(url, mode, actor);
        open.push(c);
        sessions[mode].push(c);
      }
    }
    const ledger: Ledger = { accounts: new Map(), contacts: [], shares: [] };
    const counters: Counters = { deadlocks: 0, serializationFailures: 0 };
    const totals: Record<Mode, PhaseTotals> = {
      rls: { ops: 0, seconds: 0, ops_s: 0, by_kind: { insert: 0, insert_child: 0, update: 0, assign: 0, share: 0 } },
      limit: { ops: 0, seconds: 0, ops_s: 0, by_kind: { insert: 0, insert_child: 0, update: 0, assign: 0, share: 0 } },
    };
    const perRound = opts.seconds / rounds;
    for (let round = 0; round < rounds; round++) {
      for (const mode of (round % 2 === 0 ? ['limit', 'rls'] : ['rls', 'limit']) as Mode[]) {
        let go!: (t: number) => void;
        const start = new Promise<number>((resolve) => { go = resolve; });
        const running = actors.map((actor, index) => runClient({
          client: sessions[mode][index]!, mode, actor, index, round, sinks, ledger, counters, start, seconds: perRound,
        }));
        // every client has its pool (untimed) before the clock starts
        await new Promise((resolve) => setTimeout(resolve, 50));
        const started = Date.now();
        go(started);
        const results = await Promise.all(running);
        const seconds = (Date.now() - started) / 1000;
        const ops = results.reduce((sum, r) => sum + r.ops, 0);
        totals[mode].ops += ops;
        totals[mode].seconds += seconds;
        for (const r of results) for (const [k, v] of Object.entries(r.byKind)) totals[mode].by_kind[k as Kind] += v;
        say(`  round ${round + 1}/${rounds}, ${mode === 'rls' ? 'as users' : 'as the superuser'}: ${ops} writes in ${seconds.toFixed(1)} s (${Math.round(ops / seconds)}/s)`);
      }
    }
    for (const mode of ['rls', 'limit'] as const) totals[mode].ops_s = round(totals[mode].ops / totals[mode].seconds, 1);
    say('checking every acknowledged write and the audit chain');
    const lost = await lostWrites(admin, ledger);
    const { rows: problems } = await admin.query<{ problem: string }>('select problem from rowscope.verify_audit()');
    if (opts.cleanup ?? true) {
      say('deleting the rows the workload wrote');
      // their shares, contacts and parent-owner reads go with them
      await admin.query('delete from app.contact where id = any ($1::uuid[])', [ledger.contacts]);
      await admin.query('delete from app.account where id = any ($1::uuid[])', [[...ledger.accounts.keys()]]);
    }
    return {
      clients,
      seconds: opts.seconds,
      rls_ops_s: totals.rls.ops_s,
      limit_ops_s: totals.limit.ops_s,
      ratio: round(totals.rls.ops_s / totals.limit.ops_s, 2),
      rls: totals.rls,
      limit: totals.limit,
      deadlocks: counters.deadlocks,
      serialization_failures: counters.serializationFailures,
      lost_writes: lost,
      audit_problem: problems[0]?.problem ?? null,
      audit_verified: problems.length === 0,
    };
  } finally {
    for (const c of open) await c.end().catch(() => {});
    await admin.end().catch(() => {});
  }
}

/** The throughput as lines for people. */
export function formatThroughput(t: ThroughputReport): string {
  const kinds = (p: PhaseTotals) => Object.entries(p.by_kind).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    `concurrency: ${t.clients} clients, ${t.seconds} s per side`,
    `  as users:          ${t.rls_ops_s} writes/s (${kinds(t.rls)})`,
    `  as the superuser:  ${t.limit_ops_s} writes/s (${kinds(t.limit)})`,
    `  ratio ${t.ratio.toFixed(2)} (target ≥ 0.7); deadlocks ${t.deadlocks}; serialization failures ${t.serialization_failures} (retried); ` +
      `lost writes ${t.lost_writes}; audit chain ${t.audit_verified ? 'verifies' : `broken: ${t.audit_problem}`}`,
  ].join('\n');
}
