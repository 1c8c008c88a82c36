export { sql, ident, lit, keyword, join, indent, body, statements, comment, empty, newline, isSql, quoteIdentifier, SqlTagError } from './tag.ts';
export type { Sql, Literal } from './tag.ts';
