// rowscope generate: the model → a node-pg-migrate SQL migration (src/emit).
import { Command } from 'commander';
import { relative } from 'node:path';
import { loadModel } from '../../model/index.ts';
import { generate } from '../../emit/generate.ts';
import { out } from '../output.ts';
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
        const what = {
          init: 'the core schema and the model',
          model: 'the model changes',
          upgrade: 'an upgrade to this rowscope version\'s core that keeps the security data and audit; it cannot be reverted: back up first',
        }[result.kind!];
        out(`wrote ${relative(process.cwd(), result.file) || result.file} (${what})`);
      } else {
        out('model unchanged, nothing written');
      }
    });
}
