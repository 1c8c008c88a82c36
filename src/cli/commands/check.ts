// rowscope check: validate the model file; problems one per line (stderr), exit 1.
import { Command } from 'commander';
import { loadModel } from '../../model/index.ts';
import { out } from '../output.ts';
import { MODEL_OPTION_HELP, plural } from './shared.ts';

export function checkCommand(): Command {
  return new Command('check')
    .description('validate the model file; prints its problems one per line and exits 1 when there are any')
    .option('--model <file>', MODEL_OPTION_HELP)
    .action(async (opts: { model?: string }) => {
      const model = await loadModel(opts.model);
      out(`ok: ${plural(model.tables.length, 'table')}, ${plural(model.roles.length, 'role')}`);
    });
}
