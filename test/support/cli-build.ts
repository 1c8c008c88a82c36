// The CLI the integration tests spawn: the compiled build (scripts/build.mjs,
// what the published package runs through bin/rowscope.mjs), made once per run
// by the global setup into dist-test/ from the current sources. A child started
// from it is ready in ~0.4 s against ~0.8 s through tsx (src/cli/rowscope.mjs
// compiles on the fly), and the suite starts a few hundred (docs/testing.md).
// Its own folder, not dist/: the packed-tarball test runs `npm pack`, whose
// `prepare` rebuilds dist/ while other files' CLI children run.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI_BUILD_FOLDER = 'dist-test';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The compiled CLI's entry (runs main on import, as bin/rowscope.mjs does). */
export const BUILT_CLI = fileURLToPath(new URL(`../../${CLI_BUILD_FOLDER}/cli/main.js`, import.meta.url));

/** Compiles src/ into dist-test/; a type error fails the run here, naming the file. */
export function buildCliForTests(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', CLI_BUILD_FOLDER], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}
