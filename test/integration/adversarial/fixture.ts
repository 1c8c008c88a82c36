// The organisation every adversarial test attacks (basic model): an attacker
// (salesperson in Sales: reads its BU, changes its own records), a victim
// (salesperson in Service) with secret accounts, and an organization reader
// who sees every row but not credit_limit (a secured column with no profile:
// System Administrator only). Each attack must leave `snapshot()` unchanged.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

export interface Arena {
  db: TestDatabase;
  org: Org;
  /** record name -> id */
  ids: Record<string, string>;
}

export const SECRET_NAMES = ['secret_a', 'secret_b'];
export const SECRET_LIMITS = ['5000017', '7000019', '1110023'];

export async function arena(): Promise<Arena> {
  const db = await securedDatabase('basic');
  const org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('service', 'root');
  await org.createUser('attacker', 'sales', ['salesperson']);
  await org.createUser('victim', 'service', ['salesperson']);
  await org.createUser('reader', 'service', ['reader_org']);
  const ids: Record<string, string> = {};
  ids.mine = await org.record('account', 'mine', 'attacker', { revenue: 10, credit_limit: 1110023 });
  ids.secret_a = await org.record('account', 'secret_a', 'victim', { revenue: 20, credit_limit: 5000017 });
  ids.secret_b = await org.record('account', 'secret_b', 'victim', { revenue: 30, credit_limit: 7000019 });
  ids.secret_contact = await org.record('contact', 'secret_contact', 'victim', { account_id: ids.secret_a });
  return { db, org, ids };
}

export async function closeArena(a: Arena | undefined): Promise<void> {
  await a?.org.close();
  await a?.db.drop();
}

/** Every stored value of the attacked tables, as the superuser sees them. */
export async function snapshot(a: Arena): Promise<unknown> {
  return {
    account: await a.org.admin('select * from app.account order by id'),
    contact: await a.org.admin('select * from app.contact order by id'),
    shares: await a.org.admin('select * from rowscope.record_share order by 1, 2, 3'),
  };
}

/** Fails when any secret (a victim's name, a credit limit) appears in the text. */
export function expectNoSecret(text: string): void {
  // record ids are random hex: a credit limit's digits may occur in one by chance
  const withoutIds = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>');
  for (const secret of [...SECRET_NAMES, ...SECRET_LIMITS]) expect(withoutIds).not.toContain(secret);
}

export interface Login {
  client: pg.Client;
  notices: string[];
  /** Runs the statement; returns its error (code, message) or undefined. */
  attempt(text: string, values?: unknown[]): Promise<{ code: string; message: string } | undefined>;
}

/**
 * A connection that logs in as the persona's own role, as an analyst in psql
 * would: SET ROLE and friends are checked against this login, not against the
 * superuser the Org helper switches from. Notices are collected.
 */
export async function login(a: Arena, persona: string): Promise<Login> {
  const role = a.org.role(persona);
  await a.org.admin(`alter role ${role} password 'x'`); // tag_persona: a plain identifier
  const url = new URL(a.db.url);
  const client = new pg.Client({ host: url.hostname, port: Number(url.port), database: url.pathname.slice(1), user: role, password: 'x' });
  client.on('error', () => {});
  const notices: string[] = [];
  client.on('notice', (n) => notices.push(n.message ?? ''));
  await client.connect();
  const [who] = (await client.query('select current_user as u, session_user as s')).rows;
  expect(who).toEqual({ u: role, s: role });
  return {
    client,
    notices,
    async attempt(text, values = []) {
      try {
        await client.query(text, values);
        return undefined;
      } catch (e) {
        const err = e as { code: string; message: string };
        return { code: err.code, message: err.message };
      }
    },
  };
}

/** The arena of one test file; `arena` is set once its beforeAll has run. */
export interface Guarded {
  arena: Arena;
}

/**
 * Registers the hooks of a file that attacks one arena: the arena is built
 * once (`setup` adds to it before the snapshot is taken), after each test the
 * snapshot must be unchanged, and the arena is dropped at the end. Call at the
 * top level of a test file.
 */
export function guardedArena(setup?: (a: Arena) => Promise<void>): Guarded {
  const t = {} as Guarded;
  let before: unknown;
  beforeAll(async () => {
    t.arena = await arena();
    await setup?.(t.arena);
    before = await snapshot(t.arena);
  });
  afterEach(async () => expect(await snapshot(t.arena)).toEqual(before));
  afterAll(() => closeArena(t.arena));
  return t;
}

/** A guarded arena and the attacker's connection of the running test. */
export interface Attack extends Guarded {
  attacker: Login;
}

/**
 * guardedArena() with a fresh attacker login per test (`prepare` runs on it
 * first), closed after the test, before the snapshot is compared (vitest runs
 * after-hooks in reverse order of registration).
 */
export function attackEachTest(prepare?: (attacker: Login) => Promise<void>): Attack {
  const t = guardedArena() as Attack;
  beforeEach(async () => {
    t.attacker = await login(t.arena, 'attacker');
    await prepare?.(t.attacker);
  });
  afterEach(async () => {
    await t.attacker.client.end();
  });
  return t;
}
