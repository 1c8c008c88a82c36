#!/usr/bin/env node
// The published build (`npm run build`, run by `prepare`, so by `npm install`
// in this repository and by `npm pack`): a fresh dist/ compiled by tsc from
// src/ (tsconfig.build.json), plus the files the compiled modules read next to
// themselves (the demo's and the bench's model and SQL), in the same layout.
// `node scripts/build.mjs <folder>` builds into another folder of the
// repository's root instead (the integration tests' CLI: test/support/cli-build.ts),
// beside src/ so that paths such as `../../sql/` resolve alike from it.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const folder = process.argv[2] ?? 'dist';
if (!/^[A-Za-z0-9][\w.-]*$/.test(folder)) throw new Error(`build folder must be a plain name in the repository's root, not ${folder}`);
const dist = join(root, folder);
const ASSET = /\.(sql|ya?ml|json)$/;

rmSync(dist, { recursive: true, force: true });
// tsc from this repository's devDependencies, run by the current node.
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === join(src, 'reference')) continue; // test-only, not built
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (ASSET.test(name)) cpSync(path, join(dist, path.slice(src.length)));
  }
}
copyAssets(src);
