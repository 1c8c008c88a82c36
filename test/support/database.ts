// Per-test databases cloned from a template that is built once per run.
//
// Building the schema (core SQL + migrations + seed data) is the slow part;
// `create database x template y` copies the result in a fraction of that.
// Several test files (in up to maxWorkers processes) may ask for the same
// template at once, so the build is serialised with a PostgreSQL advisory
// lock and recorded as finished by a comment on the template database.
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { inject } from 'vitest';
import { adminUrlFor, createDatabase, dropDatabase, withClient } from '../../src/db/client.ts';
import { quoteIdentifier } from '../../src/sql/index.ts';

export interface TestDatabase {
  /** Superuser URL of the fresh clone; use set_config('role', ..., true) to act as a persona. */
  url: string;
  /**
   * URL of the clone as the run's deployment administrator, who built the
   * template and owns the clone: a non-superuser with
   * ROWSCOPE_TEST_DEPLOYER=nonsuperuser (./deployer.ts), else `url`. Run
   * `rowscope migrate`/`demo` on a clone with this one.
   */
  deployerUrl: string;
  /** Superuser URL of the server's `postgres` database. */
  adminUrl: string;
  /** Drops the clone (connections to it are terminated first). */
  drop(): Promise<void>;
}

// Template names become database names; clones append `_` + 8 hex digits.
const TEMPLATE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

// This process's templates that are known to be ready (or failed): one check per file.
const ready = new Map<string, Promise<void>>();

/** `build(url)` gets the template as the deployer (see TestDatabase.deployerUrl) and must end its connections. */
export async function databaseFor(opts: { template: string; build: (url: string) => Promise<void> }): Promise<TestDatabase> {
  const { template, build } = opts;
  if (!TEMPLATE_NAME.test(template)) throw new Error(`template name must match ${TEMPLATE_NAME}: ${template}`);
  const adminUrl = inject('adminUrl');
  const runId = inject('runId');
  const deployerUrl = inject('deployerUrl');
  if (!adminUrl || !runId || !deployerUrl) throw new Error('databaseFor() needs the integration project (test/support/global-setup.ts provides the server)');

  let pending = ready.get(template);
  if (!pending) ready.set(template, (pending = ensureTemplate(adminUrl, deployerUrl, template, `rowscope test template; run ${runId}; complete`, build)));
  await pending;

  const name = `${template}_${randomBytes(4).toString('hex')}`;
  // Created by the deployer, so it owns the clone (it may clone its own template).
  await createDatabase(deployerUrl, name, template);
  return { url: adminUrlFor(adminUrl, name), deployerUrl: adminUrlFor(deployerUrl, name), adminUrl, drop: () => dropClone(adminUrl, name) };
}

/**
 * pg's Pool.end() resolves once its clients are told to end, not once they
 * have: a backend terminated by dropDatabase in between sends a FATAL (57P01)
 * to a client with no error listener left, an uncaught exception that fails the
 * whole run (seen once in rules.test.ts). So the clone's own backends get up to
 * two seconds to leave before the rest are terminated.
 */
async function dropClone(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrlFor(adminUrl, 'postgres'), (c) => connectionsAfterWaiting(c, name));
  await dropDatabase(adminUrl, name);
}

/**
 * How many client backends are still connected to database `name` once they
 * have had up to two seconds to leave (a backend lingers for a moment after its
 * client's end() resolves). Autovacuum workers are not counted: a fresh
 * template's catalogs draw one, it may take longer than that on a loaded
 * machine (the likeliest cause of one CI run's failed template build, in a
 * beforeAll whose error CI's tail did not keep), and CREATE DATABASE …
 * TEMPLATE and DROP DATABASE … WITH (FORCE) stop them themselves.
 */
async function connectionsAfterWaiting(c: pg.Client, name: string): Promise<number> {
  for (let waited = 0; ; waited += 50) {
    const { rows: [{ n }] } = await c.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where datname = $1 and backend_type = 'client backend'", [name]);
    if (n === 0 || waited >= 2000) return n;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function ensureTemplate(adminUrl: string, deployerUrl: string, template: string, marker: string, build: (url: string) => Promise<void>): Promise<void> {
  // The lock is taken on the `postgres` database and is session-level: it is
  // released when this connection closes, even if the build throws.
  await withClient(adminUrl, async (c) => {
    await c.query("select pg_advisory_lock(hashtext('rowscope.test-template'), hashtext($1))", [template]);
    const { rows } = await c.query<{ marker: string | null }>(
      "select shobj_description(oid, 'pg_database') as marker from pg_database where datname = $1", [template]);
    if (rows[0]?.marker === marker) return; // built by another file or worker of this run
    // Missing, half-built (its builder died), or from an earlier run on a reused server.
    await dropDatabase(adminUrl, template);
    // Created by and built as the deployer: it owns the template and runs its migrations.
    await createDatabase(deployerUrl, template);
    try {
      await build(adminUrlFor(deployerUrl, template));
      await expectNoConnections(c, template);
      // Nobody may connect to it any more: a stray session would make every
      // `create database ... template` fail.
      await c.query(`alter database ${quoteIdentifier(template)} with allow_connections false`);
      // Written last: only a complete template carries the marker.
      await c.query(`comment on database ${quoteIdentifier(template)} is ${c.escapeLiteral(marker)}`);
    } catch (error) {
      await dropDatabase(adminUrl, template).catch(() => {});
      throw error;
    }
  });
}

/**
 * A template cannot be cloned while anyone is connected to it, so the build
 * must end its clients and pools; after the short wait for lingering
 * backends, it fails loudly.
 */
async function expectNoConnections(c: pg.Client, template: string): Promise<void> {
  const n = await connectionsAfterWaiting(c, template);
  if (n > 0) throw new Error(`building template ${template} left ${n} connection(s) open: end every client/pool before build() returns`);
}
