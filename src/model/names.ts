// Names in the model become SQL identifiers (tables, columns, schemas) or
// parts of them (the per-table access-class roles, docs/architecture.md), so they are
// restricted to plain snake_case that never needs case folding or quoting
// tricks, and kept short enough that derived names fit PostgreSQL's 63 bytes.
import * as z from 'zod';

export const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** PostgreSQL truncates identifiers longer than this (NAMEDATALEN - 1). */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * Table names are embedded in role names such as `rowscope_<table>_read_bu`,
 * so they get a smaller budget than other names.
 */
export const MAX_TABLE_NAME_BYTES = 40;

export function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && IDENTIFIER.test(value);
}

/** A best guess at the snake_case spelling the user meant, for the fix text. */
export function toSnakeCase(value: string): string {
  const snake = value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
  return /^[0-9]/.test(snake) ? `_${snake}` : snake;
}

/** Why `value` is not an acceptable name, or undefined when it is fine. */
export function nameProblem(value: string, what: string, maxBytes: number): string | undefined {
  if (!IDENTIFIER.test(value)) {
    const guess = toSnakeCase(value);
    const fix = guess && IDENTIFIER.test(guess) ? `; use '${guess}'` : '';
    return `'${value}' is not a valid ${what}: use a snake_case SQL identifier (a-z, 0-9, _, not starting with a digit)${fix}`;
  }
  // IDENTIFIER admits ASCII only, so length equals byte length.
  if (value.length > maxBytes) {
    return `'${value}' is too long for a ${what} (${value.length} bytes); use at most ${maxBytes}`;
  }
  return undefined;
}

/** A zod string schema for a name; one issue at most, with the fix in it. */
export function identifier(what: string, maxBytes = MAX_IDENTIFIER_BYTES) {
  return z.string().superRefine((value, ctx) => {
    const message = nameProblem(value, what, maxBytes);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}
