// Comments cite code or docs/ of this repository, never documents outside it
// (docs/architecture.md): every repo path a source file names must exist, and
// no comment may cite the product specification or design notes by section.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_DIRS = ['src', 'sql', 'test', 'web/src', 'scripts', 'bin', 'docs'];
const SOURCE_FILE = /\.(ts|tsx|mjs|js|sql|md|yaml)$/;
// A path into the repository as comments write it: a top-level folder, then a file with an extension.
const REPO_PATH = /((?:\.\.?\/)*)\b((?:src|sql|test|docs|web|migrations|scripts|bin)\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.(?:ts|tsx|sql|md|yaml|mjs|json|png))\b/g;
// Files the docs tell the reader to create in their own project (docs/tour.md), not paths of this repository.
const EXAMPLES = new Set(['migrations/0001_app-tables.sql']);

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => SOURCE_FILE.test(f) && !f.includes('__snapshots__') && !f.includes('fixtures/upgrade/') && !f.endsWith('comment-references.test.ts') && statSync(join(ROOT, f)).isFile());
}

const files = SOURCE_DIRS.flatMap(sourceFiles);

describe('references in comments and docs', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('every repository path named in a source file or doc exists', () => {
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(REPO_PATH)) {
        const [, up, path] = m as unknown as [string, string, string];
        // paths built at run time or written relative to a temp folder are not references
        if (/[*{}<>$]/.test(path) || EXAMPLES.has(path)) continue;
        // `../sql/index.ts` is relative to the file; a bare `sql/x.sql` is from the root (or the file's folder)
        const candidates = up ? [relative(ROOT, join(ROOT, file, '..', up + path))] : [path, relative(ROOT, join(ROOT, file, '..', path))];
        if (!candidates.some((p) => existsSync(join(ROOT, p)))) missing.push(`${file}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('no comment cites the specification or design notes by section (they are not in the repository)', () => {
    const cites = files.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8').split('\n')
        .map((line, i) => [line, i + 1] as const)
        .filter(([line]) => /\b(SPEC|DESIGN) §/.test(line))
        .map(([, n]) => `${file}:${n}`));
    expect(cites).toEqual([]);
  });
});
