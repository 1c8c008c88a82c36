// The model module: read, check and normalise a rowscope model (docs/reference.md).
export * from './types.ts';
export { defineModel, type ModelInput } from './define.ts';
export { loadModel, DEFAULT_MODEL_FILES } from './load.ts';
export { parseModel } from './parse.ts';
export { ModelError, formatProblem, type ModelFileProblem } from './errors.ts';
export { modelHash, canonicalJson } from './hash.ts';
export type { ModelProblem } from './problems.ts';
