// Option texts and small helpers shared by several commands.
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_FILES } from '../../model/index.ts';

export const MODEL_OPTION_HELP = `the model file (.ts, .yaml, .yml or .json); default: the first of ${DEFAULT_MODEL_FILES.join(', ')} in the current folder`;
export const MIGRATIONS_DIR_HELP = 'the folder of node-pg-migrate SQL migrations';
export const DEFAULT_MIGRATIONS_DIR = 'migrations';

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The model file a command uses: the one given, else the default that exists. */
export function modelFileLabel(given: string | undefined): string | undefined {
  return given ?? DEFAULT_MODEL_FILES.find((name) => existsSync(resolve(name)));
}

/** How to run this CLI from the current folder: `npx rowscope` when installed, else `node <path>`. */
export function cliInvocation(): string {
  // The script node runs: src/cli/rowscope.mjs from the sources, bin/rowscope.mjs
  // (or npm's link to it) when installed.
  const bin = process.argv[1] ? resolve(process.argv[1]) : fileURLToPath(new URL('../rowscope.mjs', import.meta.url));
  if (bin.split(sep).includes('node_modules') || fileURLToPath(import.meta.url).split(sep).includes('node_modules')) return 'npx rowscope';
  const rel = relative(process.cwd(), bin);
  return `node ${rel.startsWith('..') || isAbsolute(rel) ? bin : rel}`;
}
