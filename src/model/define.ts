// For rowscope.config.ts: `export default defineModel({...})` gives the
// editor the file format's types (completion, typos underlined) and changes
// nothing at run time; loadModel validates the result like any other file.
import type { ModelInput } from './schema.ts';

export type { ModelInput };

export function defineModel(input: ModelInput): ModelInput {
  return input;
}
