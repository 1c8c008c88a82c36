import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Model } from '../model/types.ts';
import { compileSetup } from '../compile/index.ts';
import { lit, sql, statements } from '../sql/index.ts';
import { coreSql } from './core.ts';

// The migration that moves a database secured by an older rowscope version (a
// different core, sql/*.sql) to this one, keeping every row of security data
// and audit. Its steps, each a file of sql/upgrade/ except the middle ones:
//   1. the previous version's policies, triggers and views come off the data
//      tables and its schema is renamed rowscope_upgrade_<n>;
//   2. this version's core is created;
//   3. the old tables are copied into the new ones (per-version transformations
//      in sql/upgrade/20_copy_data.sql);
//   4. the model is set up as a first migration would (which re-derives every
//      user's access classes under the new rules);
//   5. old class-role memberships this version does not use are revoked and the
//      old schema is dropped.
// All in the one transaction node-pg-migrate runs a migration in: a failure
// leaves the database as it was.
//
// There is no way back: an older core cannot read what a newer one wrote (the
// audit chain's new columns, for a start), so the Down refuses.

const UPGRADE_DIR = fileURLToPath(new URL('../../sql/upgrade/', import.meta.url));

function step(file: string): string {
  return `-- sql/upgrade/${file}\n${readFileSync(UPGRADE_DIR + file, 'utf8').trimEnd()}\n`;
}

function steps(): string[] {
  return readdirSync(UPGRADE_DIR).filter((f) => f.endsWith('.sql')).sort();
}

export function upgradeSql(opts: { model: Model; fromCore: string; toCore: string; stamp: number }): { up: string; down: string } {
  const [release, copy, finish, ...rest] = steps();
  if (!release || !copy || !finish || rest.length > 0) throw new Error(`sql/upgrade/ must hold exactly three steps, found ${steps().join(', ')}`);
  const aside = `rowscope_upgrade_${opts.stamp}`;
  const from = opts.fromCore ? opts.fromCore.slice(0, 12) : 'unknown';
  const setup = statements(compileSetup(opts.model)).text;
  const up = [
    `-- rowscope upgrade: core ${from} -> ${opts.toCore.slice(0, 12)}; security data and audit are kept`,
    `${statements([sql`select set_config('rowscope.upgrade_schema', ${lit(aside)}, true)`]).text}`,
    step(release),
    '-- the new core',
    coreSql(),
    step(copy),
    '-- the model',
    setup,
    '',
    step(finish),
  ].join('\n');
  const message = `rowscope: this migration upgraded the rowscope core (${from} -> ${opts.toCore.slice(0, 12)}); `
    + 'a core downgrade is not supported';
  const hint = 'restore the backup taken before the upgrade, or install the older rowscope and restore; '
    + 'model changes are reverted by their own migrations';
  const down = statements([
    sql`do $down$ begin raise exception using message = ${lit(message)}, errcode = '0A000', hint = ${lit(hint)}; end $down$`,
  ]).text;
  return { up, down };
}
