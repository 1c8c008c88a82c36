// What a GraphQL error may say (grafserv `maskError`). Refusals (42501) and bad
// arguments (22023) are written for people (docs/reference.md) and always come through
// with their SQLSTATE; so do other data (22xxx) and integrity (23xxx) errors,
// which the caller caused and can fix. Everything else is internal: in
// production it becomes "An error occurred" with an id that is logged with the
// details; in development its message is shown. Never a stack trace.
import { defaultMaskError } from 'postgraphile/grafserv';
import { GraphQLError } from 'postgraphile/graphql';

type MaskError = (error: GraphQLError) => GraphQLError;

interface DatabaseError {
  code: string;
  message: string;
}

export function makeMaskError(production: boolean): MaskError {
  return (error) => {
    const original = error.originalError;
    if (!original || original instanceof GraphQLError) return error; // validation, coercion, limits
    const db = databaseError(original);
    if (db && (!production || isForTheCaller(db.code))) {
      return new GraphQLError(db.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: { code: db.code },
      });
    }
    if (production) return defaultMaskError(error);
    return new GraphQLError(original.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path });
  };
}

function isForTheCaller(code: string): boolean {
  return code === '42501' || code.startsWith('22') || code.startsWith('23');
}

/** The PostgreSQL error behind `error`, however deeply wrapped. */
export function databaseError(error: unknown): DatabaseError | null {
  for (let e = error, i = 0; e && typeof e === 'object' && i < 5; i++) {
    const candidate = e as { code?: unknown; message?: unknown; severity?: unknown; originalError?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code) && typeof candidate.message === 'string' && candidate.severity !== undefined) {
      return { code: candidate.code, message: candidate.message };
    }
    e = candidate.originalError ?? candidate.cause;
  }
  return null;
}
