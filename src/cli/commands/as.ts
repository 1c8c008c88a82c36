// rowscope as ROLE -- "SQL": see what a user sees.
import { Command } from 'commander';
import { withDatabase } from '../database.ts';
import { CliError } from '../errors.ts';
import { out, progress } from '../output.ts';
import { queryAs } from '../query-as.ts';
import { formatOutput } from '../table.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function asCommand(): Command {
  return new Command('as')
    .description('run one SQL statement as a user\'s database role (RLS and grants apply) and print the rows like psql')
    .argument('<role>', 'the user\'s database role (rowscope.system_user.db_role)')
    .argument('[sql...]', 'the statement, after --; read from stdin when omitted')
    .addHelpText('after', '\nExample:\n  rowscope as alice -- "select name from api.account limit 5"\n\nThe statement is committed, as the user\'s own would be. It runs on a connection of a\nthrow-away login that can only become the user (dropped afterwards): RESET ROLE and\nthe like cannot reach a privileged role. The server must accept password logins.')
    .action(async (role: string, words: string[]) => {
      let text = words.join(' ').trim();
      if (!text && !process.stdin.isTTY) text = (await readStdin()).trim();
      if (!text) throw new CliError('no SQL given; write it after --, e.g. rowscope as alice -- "select count(*) from api.account"');
      await withDatabase(async (db) => {
        const result = await queryAs(db.url, role, text);
        if (result.rowscopeUser === false) progress(`note: ${role} is no rowscope user, so the model's tables show it nothing`);
        out(formatOutput(result));
      });
    });
}
