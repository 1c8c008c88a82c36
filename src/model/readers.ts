// Reading a model file into a plain object, one reader per format. Each
// throws a FileProblem (message only) that load.ts turns into a ModelError.
import { pathToFileURL } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';

export class FileProblem extends Error {}

/** Error text on one line: esbuild and others report over several. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

export function readYaml(text: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length) {
    const lines = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `YAML syntax error at line ${line}, column ${col}: ${oneLine(error.message)}`;
    });
    throw new FileProblem(lines.join('\n'));
  }
  return doc.toJS();
}

export function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FileProblem(`JSON syntax error: ${oneLine((error as Error).message)}`);
  }
}

/** The model a config module exports: `export default defineModel(...)` or `export const model`. */
function exportedModel(namespace: Record<string, unknown>): unknown {
  // Outside a `"type": "module"` package the file is compiled to CommonJS and
  // its exports object (marked __esModule) arrives as the default export.
  const inner = namespace.default as Record<string, unknown> | undefined;
  const exports = typeof inner === 'object' && inner !== null && inner.__esModule === true ? inner : namespace;
  const model = exports.model ?? exports.default;
  if (model === undefined) {
    throw new FileProblem('the module exports no model; write `export default defineModel({ ... })`');
  }
  return model;
}

export async function importModule(file: string): Promise<unknown> {
  let namespace: Record<string, unknown>;
  try {
    // tsx compiles TypeScript on the fly, so users need no build step.
    const { tsImport } = await import('tsx/esm/api');
    namespace = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw new FileProblem(`cannot load the module: ${oneLine(error instanceof Error ? error.message : String(error))}`);
  }
  return exportedModel(namespace);
}
