// Where the CLI writes: results on stdout, progress and diagnostics on stderr
// (so `rowscope as ... > rows.txt` and `rowscope doctor --json | jq` stay clean).

export function out(text = ''): void {
  process.stdout.write(`${text}\n`);
}

/** A progress line for long work (starting PostgreSQL, migrating, seeding). */
export function progress(text: string): void {
  process.stderr.write(`${text}\n`);
}

export const debugging = (): boolean => !!process.env.ROWSCOPE_DEBUG;

/** The URL with its password replaced, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
