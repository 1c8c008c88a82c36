import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';

// The model-independent SQL of sql/*.sql, in load order (file names are numbered).
const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

export function coreSql(): string {
  return readdirSync(SQL_DIR)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => `-- sql/${f}\n${readFileSync(SQL_DIR + f, 'utf8').trimEnd()}\n`)
    .join('\n');
}

export function coreHash(): string {
  return createHash('sha256').update(coreSql()).digest('hex');
}

/** Undoes the core schema. Cluster roles stay: other databases of the cluster may use them. */
export const CORE_TEARDOWN = `drop schema if exists rowscope cascade;`;
