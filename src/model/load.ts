// Finds and reads the model file and returns the normalised model. Every
// failure, from a missing file to an invalid role, is a ModelError.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { Model } from './types.ts';
import { ModelError } from './errors.ts';
import { parseModel } from './parse.ts';
import { FileProblem, importModule, readJson, readYaml } from './readers.ts';

/** Looked for in the current directory, in this order, when no file is given. */
export const DEFAULT_MODEL_FILES = ['rowscope.config.ts', 'rowscope.yaml', 'rowscope.yml', 'rowscope.json'] as const;

const MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

function fail(file: string, message: string): never {
  throw new ModelError(message.split('\n').map((line) => ({ file, path: '', message: line })));
}

async function readRaw(label: string, absolute: string): Promise<unknown> {
  const extension = extname(absolute).toLowerCase();
  if (MODULE_EXTENSIONS.includes(extension)) return importModule(absolute);
  if (extension !== '.yaml' && extension !== '.yml' && extension !== '.json') {
    fail(label, `unsupported model file type '${extension}'; use .ts, .yaml, .yml or .json`);
  }
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    fail(label, `cannot read the file: ${(error as Error).message}`);
  }
  return extension === '.json' ? readJson(text) : readYaml(text);
}

/**
 * `file` is relative to the current directory; problems name it as given.
 * Without `file`, the first of DEFAULT_MODEL_FILES that exists is used.
 */
export async function loadModel(file?: string): Promise<Model> {
  const label = file ?? DEFAULT_MODEL_FILES.find((name) => existsSync(resolve(name)));
  if (label === undefined) {
    fail(process.cwd(), 'no model file found; run `rowscope init` or pass --model FILE');
  }
  const absolute = resolve(label);
  if (!existsSync(absolute)) {
    fail(label, 'no such file; check the --model path, or run `rowscope init` to create one');
  }
  let raw: unknown;
  try {
    raw = await readRaw(label, absolute);
  } catch (error) {
    if (error instanceof FileProblem) fail(label, error.message);
    throw error;
  }
  return parseModel(raw, label);
}
