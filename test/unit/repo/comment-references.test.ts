// Comments cite code or docs/ of this repository, never documents outside it
// (docs/architecture.md): every repo path a source file or doc names must exist
// (a file, a folder written with its trailing slash, a core SQL file by its
// number, `sql/140` or `sql/150..153`, a test file by its bare name), every link of a doc must reach a file
// and, with a #fragment, one of its headings, and no comment may cite the
// product specification or design notes (not in the repository): no "§"
// section sign at all, and not the documents' names in capitals. A section
// cited by name (`docs/security-model.md "Assign"`, `docs/graphql.md, "Filters"`,
// `docs/security-model.md rule 4`) must be a heading or a bold paragraph lead there.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SOURCE_DIRS = ['src', 'sql', 'test', 'web/src', 'scripts', 'bin', 'docs'];
const SOURCE_FILE = /\.(ts|tsx|mjs|js|sql|md|yaml)$/;
// A path into the repository as comments write it: a top-level folder, then a file with an extension.
const REPO_PATH = /((?:\.\.?\/)*)\b((?:src|sql|test|docs|web|migrations|scripts|bin)\/[A-Za-z0-9_./-]*[A-Za-z0-9_-]\.(?:ts|tsx|sql|md|yaml|mjs|json|png))\b/g;
// A folder, written with its trailing slash: `test/integration/adversarial/`.
const REPO_FOLDER = /(?<![\w./-])((?:src|sql|test|docs|web|migrations|scripts|bin)\/(?:[A-Za-z0-9_.-]+\/)*)(?=[\s`'"),;:*]|$)/gm;
// A core SQL file by its number, or a range of them: `sql/140`, `sql/150..153`.
const SQL_NUMBER = /(?<![\w./-])sql\/(\d{3})(?:\.\.(\d{3}))?(?!\w|\.\w)/g;
// A test file by its bare name, as comments and docs cite one: `two-databases.test.ts`.
const BARE_TEST = /(?<![\w./-])([A-Za-z0-9_.-]+\.test\.ts)\b/g;
// A relative markdown link of a doc: [text](target#fragment).
const DOC_LINK = /\[[^\]\n]*\]\((?!https?:|mailto:)([^)\s#]*)(?:#([^)\s]*))?\)/g;
// A doc cited with section names: `docs/x.md "A"`, `docs/x.md, "A" and "B"`, `docs/x.md rule 4`.
const DOC_SECTION = /(?<![\w./-])(docs\/[A-Za-z0-9_-]+\.md)((?:(?:,? | and |, )["“][^"”\n]+["”])+| rule \d+)/g;
const QUOTED = /["“]([^"”\n]+)["”]/g;
// Files the docs tell the reader to create in their own project (docs/tour.md), not paths of this repository.
const EXAMPLES = new Set(['migrations/0001_app-tables.sql']);

// The product specification and the design notes, as earlier comments named them: a reader cannot follow either.
const OUTSIDE_DOCUMENT = /\b(?:SPEC|DESIGN)\b/;

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => SOURCE_FILE.test(f) && !f.includes('__snapshots__') && !f.includes('fixtures/upgrade/') && !f.endsWith('comment-references.test.ts') && statSync(join(ROOT, f)).isFile());
}

const files = SOURCE_DIRS.flatMap(sourceFiles).concat('README.md');
const coreSqlFiles = readdirSync(join(ROOT, 'sql')).filter((f) => f.endsWith('.sql'));
const testNames = new Set(files.filter((f) => f.endsWith('.test.ts')).map((f) => f.split('/').pop()!).concat('comment-references.test.ts'));

// GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
function anchors(markdown: string): Set<string> {
  const headings = markdown.replace(/```[\s\S]*?```/g, '').split('\n').filter((line) => /^#{1,6} /.test(line));
  return new Set(headings.map((h) => h.replace(/^#+ /, '').trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')));
}

// The sections a doc can be cited by: its headings and the bold leads of its paragraphs (`**Filters.** Every …`).
function sectionNames(markdown: string): string[] {
  const lines = markdown.replace(/```[\s\S]*?```/g, '').split('\n');
  const headings = lines.filter((line) => /^#{1,6} /.test(line)).map((h) => h.replace(/^#+ /, ''));
  const leads = lines.flatMap((line) => /^\*\*([^*]+)\*\*/.exec(line)?.[1] ?? []);
  return headings.concat(leads).map((s) => s.replace(/`/g, '').replace(/\.$/, '').trim().toLowerCase());
}

// The cited sections a doc does not have.
function missingSections(text: string, readDoc: (path: string) => string | undefined): string[] {
  const missing: string[] = [];
  for (const [, doc, cited] of text.matchAll(DOC_SECTION)) {
    const markdown = readDoc(doc);
    if (markdown === undefined) continue; // a missing file is the path test's finding
    const sections = sectionNames(markdown);
    const names = cited.startsWith(' rule ') ? [`${cited.trim()}:`] : [...cited.matchAll(QUOTED)].map((m) => m[1]);
    for (const name of names) {
      const wanted = name.replace(/`/g, '').trim().toLowerCase();
      if (!sections.some((s) => s.includes(wanted))) missing.push(`${doc} "${name}"`);
    }
  }
  return missing;
}

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

  it('every folder and every numbered core SQL file named in a source file or doc exists', () => {
    const missing: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, folder] of text.matchAll(REPO_FOLDER)) {
        const candidates = [folder, relative(ROOT, join(ROOT, file, '..', folder))];
        if (!candidates.some((p) => existsSync(join(ROOT, p)) && statSync(join(ROOT, p)).isDirectory())) missing.push(`${file}: ${folder}`);
      }
      for (const [, first, last] of text.matchAll(SQL_NUMBER)) {
        for (const n of last ? [first, last] : [first]) {
          if (!coreSqlFiles.some((f) => f.startsWith(`${n}_`))) missing.push(`${file}: sql/${n}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every test file cited by its bare name exists', () => {
    const missing = files.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(BARE_TEST)].map((m) => m[1]).filter((name) => !testNames.has(name)).map((name) => `${file}: ${name}`));
    expect(missing).toEqual([]);
  });

  it('every link of a doc reaches a file, and its #fragment a heading there', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const [, target, fragment] of text.matchAll(DOC_LINK)) {
        const path = target ? relative(ROOT, join(ROOT, file, '..', decodeURIComponent(target))) : file;
        if (!existsSync(join(ROOT, path))) {
          broken.push(`${file}: ${target}`);
        } else if (fragment && path.endsWith('.md') && !anchors(readFileSync(join(ROOT, path), 'utf8')).has(decodeURIComponent(fragment))) {
          broken.push(`${file}: ${target}#${fragment} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('every section of a doc cited by name is a heading or a bold paragraph lead there', () => {
    const readDoc = (path: string) => (existsSync(join(ROOT, path)) ? readFileSync(join(ROOT, path), 'utf8') : undefined);
    const missing = files.flatMap((file) => missingSections(readFileSync(join(ROOT, file), 'utf8'), readDoc).map((m) => `${file}: ${m}`));
    expect(missing).toEqual([]);
  });

  it('finds a section cited by a name its doc does not have', () => {
    const doc = '# Model\n\n## Rule 1: enabled\n\n## Assign\n\n**Filters.** Every connection …\n\n```\n## Fenced\n```\n';
    const readDoc = (path: string) => (path === 'docs/m.md' ? doc : undefined);
    expect(missingSections('// docs/m.md "Assign" and "Filters", docs/m.md rule 1, docs/x.md "Anything"', readDoc)).toEqual([]);
    expect(missingSections('// docs/m.md, "Assign" and "Share"; docs/m.md rule 4; docs/m.md "Fenced"', readDoc))
      .toEqual(['docs/m.md "Share"', 'docs/m.md "rule 4:"', 'docs/m.md "Fenced"']);
  });

  it('no comment cites the specification or design notes (they are not in the repository)', () => {
    const cites = files.flatMap((file) =>
      readFileSync(join(ROOT, file), 'utf8').split('\n')
        .map((line, i) => [line, i + 1] as const)
        .filter(([line]) => line.includes('§') || OUTSIDE_DOCUMENT.test(line))
        .map(([line, n]) => `${file}:${n}: ${line.trim()}`));
    expect(cites).toEqual([]);
  });

  it('finds a citation of the specification or design notes in any form', () => {
    const cited = ['// SPEC §2 rule 1', '-- see §4', '// DESIGN: the policy shape', '(§8)', "the contract's §2"]
      .filter((line) => line.includes('§') || OUTSIDE_DOCUMENT.test(line));
    expect(cited).toHaveLength(5);
    expect(OUTSIDE_DOCUMENT.test('const spec = loadSpec(); // DESIGNATED, SPECIFIED')).toBe(false);
  });
});
