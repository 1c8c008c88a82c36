import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Model } from '../model/types.ts';
import { modelHash } from '../model/hash.ts';
import { compileChange, compileSetup, compileTeardown } from '../compile/index.ts';
import { statements } from '../sql/index.ts';
import { CORE_TEARDOWN, coreHash, coreSql } from './core.ts';
import { readHeader, renderMigration, type MigrationHeader } from './migration-file.ts';
import { upgradeSql } from './upgrade.ts';

export interface GenerateResult {
  /** the file written, or null when the model and the core are unchanged */
  file: string | null;
  previous: MigrationHeader | null;
  /** init: the core and the model; upgrade: a newer core over existing data; model: model changes only */
  kind: 'init' | 'upgrade' | 'model' | null;
}

/** The header of the newest rowscope migration in the folder, if any. */
export function latestRowscopeMigration(dir: string): MigrationHeader | null {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort(byNumericPrefix);
  for (const file of files.reverse()) {
    const header = readHeader(readFileSync(join(dir, file), 'utf8'), join(dir, file));
    if (header) return header;
  }
  return null;
}

function byNumericPrefix(a: string, b: string): number {
  const na = Number(/^\d+/.exec(a)?.[0] ?? 0);
  const nb = Number(/^\d+/.exec(b)?.[0] ?? 0);
  return na - nb || a.localeCompare(b);
}

/** The Up and Down SQL that move a database from `previous` (null: nothing yet) to `model`. */
export function migrationSql(model: Model, previous: Model | null): { up: string; down: string } {
  const setup = (m: Model) => statements(compileSetup(m)).text;
  const teardown = (m: Model) => statements(compileTeardown(m)).text;
  if (!previous) {
    return {
      up: `${coreSql()}\n-- the model\n${setup(model)}`,
      down: `${teardown(model)}\n\n${CORE_TEARDOWN}`,
    };
  }
  // just the difference, both ways (src/compile/diff.ts)
  return {
    up: statements(compileChange(previous, model)).text,
    down: statements(compileChange(model, previous)).text,
  };
}

export function generate(opts: { model: Model; modelFile: string; migrationsDir: string; now?: () => number }): GenerateResult {
  const previous = latestRowscopeMigration(opts.migrationsDir);
  const hash = modelHash(opts.model);
  const core = coreHash();
  // a core that differs from the one the database got (or an unknown one)
  const kind = !previous ? 'init' : previous.coreHash !== core ? 'upgrade' : previous.modelHash !== hash ? 'model' : null;
  if (!kind) return { file: null, previous, kind };
  mkdirSync(opts.migrationsDir, { recursive: true });
  let stamp = (opts.now ?? Date.now)();
  const taken = new Set(readdirSync(opts.migrationsDir).map((f) => /^\d+/.exec(f)?.[0]));
  while (taken.has(String(stamp))) stamp++;
  const { up, down } = kind === 'upgrade'
    ? upgradeSql({ model: opts.model, fromCore: previous!.coreHash, toCore: core, stamp })
    : migrationSql(opts.model, previous?.model ?? null);
  const file = join(opts.migrationsDir, `${stamp}_rowscope-${kind}.sql`);
  const header = { modelHash: hash, coreHash: core, model: opts.model };
  writeFileSync(file, renderMigration(header, basename(opts.modelFile), up, down));
  return { file, previous, kind };
}
