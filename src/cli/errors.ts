// Turning any failure into what the CLI prints: one clear line per problem on
// stderr, never a stack trace for a user error (docs/reference.md). Set ROWSCOPE_DEBUG=1
// to see the stack of an unexpected error.
import { formatProblem, ModelError } from '../model/index.ts';
import { MigrationError } from '../db/migrate.ts';

/** A user error: bad input or a state the user can fix. Printed as `rowscope: <message>`. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** A migration that failed, with the name of the file that failed when known. */
export class FailedMigration extends Error {
  constructor(readonly migration: string | undefined, readonly failure: MigrationError) {
    super(failure.message);
    this.name = 'FailedMigration';
  }
}

const PREFIX = 'rowscope: ';

/** `rowscope: ` once, even when the message (from our own SQL) already has it. */
export function line(message: string): string {
  const text = oneLine(message);
  // messages from our own SQL and modules already start with rowscope ("rowscope: ", "rowscope serve: ")
  return /^rowscope( [a-z]+)?: /.test(text) ? text : PREFIX + text;
}

/** Multi-line messages (server logs, esbuild) joined into one line. */
export function oneLine(text: string): string {
  return text
    .split('\n')
    .map((part) => part.trim())
    .filter(Boolean)
    .join('; ');
}

interface PgLikeError {
  message?: string;
  code?: string;
  severity?: string;
  hint?: string;
  detail?: string;
  address?: string;
  port?: number;
  errors?: unknown[];
}

/** PostgreSQL's own errors carry a five-character SQLSTATE and a severity. */
function isServerError(error: PgLikeError): boolean {
  return typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code) && typeof error.severity === 'string';
}

function serverErrorLine(error: PgLikeError): string {
  let text = `${error.message ?? 'database error'} [SQLSTATE ${error.code}]`;
  if (error.detail) text += `; detail: ${error.detail}`;
  if (error.hint) text += `; hint: ${error.hint}`;
  return line(text);
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused; is PostgreSQL running there? (check DATABASE_URL)',
  ENOTFOUND: 'host not found (check DATABASE_URL)',
  ETIMEDOUT: 'the connection timed out (check DATABASE_URL)',
  ECONNRESET: 'the server closed the connection',
};

function connectionErrorLine(error: PgLikeError): string | undefined {
  // Node reports a refused connection to a name with several addresses as an
  // AggregateError with an empty message: the code is on the error itself.
  const code = error.code ?? (error.errors?.[0] as PgLikeError | undefined)?.code;
  if (!code || !(code in CONNECTION_CODES)) return undefined;
  const inner = (error.errors?.[0] as PgLikeError | undefined) ?? error;
  const where = inner.address ? ` at ${inner.address}${inner.port ? `:${inner.port}` : ''}` : '';
  return line(`cannot connect to PostgreSQL${where}: ${CONNECTION_CODES[code]}`);
}

const BUGS = [TypeError, ReferenceError, RangeError, SyntaxError];

/** The lines to print for `error` (each already prefixed where that applies). */
export function errorLines(error: unknown): string[] {
  if (error instanceof ModelError) return error.problems.map(formatProblem);
  if (error instanceof CliError) return [line(error.message)];
  if (error instanceof FailedMigration) {
    const code = error.failure.code && /^[0-9A-Z]{5}$/.test(error.failure.code) ? ` [SQLSTATE ${error.failure.code}]` : '';
    const what = error.migration ? `migration ${error.migration} failed` : 'migration failed';
    return [`${PREFIX}${what}: ${oneLine(error.message).replace(/^rowscope: /, '')}${code}`];
  }
  if (error instanceof MigrationError) return [line(`migration failed: ${error.message.replace(/^rowscope: /, '')}`)];
  if (typeof error === 'object' && error !== null) {
    const e = error as PgLikeError;
    if (isServerError(e)) return [serverErrorLine(e)];
    const connection = connectionErrorLine(e);
    if (connection) return [connection];
  }
  if (error instanceof Error) {
    const bug = BUGS.some((kind) => error instanceof kind);
    const text = oneLine(error.message || error.name);
    return [bug ? `${PREFIX}internal error: ${text} (set ROWSCOPE_DEBUG=1 to see where)` : line(text)];
  }
  return [line(String(error))];
}

/** Prints the error the way the CLI does and sets a failing exit code. */
export function reportError(error: unknown): void {
  for (const text of errorLines(error)) process.stderr.write(`${text}\n`);
  if (process.env.ROWSCOPE_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  process.exitCode = 1;
}
