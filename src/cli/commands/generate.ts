// rowscope generate: the model → a node-pg-migrate SQL migration (src/emit).
import { Command } from 'commander';
import { relative } from 'node:path';
import { loadModel } from '../../model/index.ts';
import { generate } from '../../emit/generate.ts';
import { coreHash } from '../../emit/core.ts';
import { out, progress } from '../output.ts';
import { DEFAULT_MIGRATIONS_DIR, MIGRATIONS_DIR_HELP, MODEL_OPTION_HELP, modelFileLabel } from './shared.ts';

export function generateCommand(): Command {
  return new Command('generate')
    .description('write a migration that moves the database to the current model (the core schema too, on the first run); nothing when the model is unchanged')
    .option('--model <file>', MODEL_OPTION_HELP)
    .option('--migrations-dir <dir>', MIGRATIONS_DIR_HELP, DEFAULT_MIGRATIONS_DIR)
    .action(async (opts: { model?: string; migrationsDir: string }) => {
      const model = await loadModel(opts.model);
      const modelFile = modelFileLabel(opts.model) ?? 'the model';
      const result = generate({ model, modelFile, migrationsDir: opts.migrationsDir });
      if (result.file) {
        const what = result.previous ? 'the model changes' : 'the core schema and the model';
        out(`wrote ${relative(process.cwd(), result.file) || result.file} (${what})`);
      } else {
        out('model unchanged, nothing written');
      }
      if (result.previous && result.previous.coreHash && result.previous.coreHash !== coreHash()) {
        progress('note: the core SQL of this rowscope version differs from the one in the existing migrations; generate only carries model changes, so the database keeps the older core');
      }
    });
}
