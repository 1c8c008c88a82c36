// What the CLI prints for each kind of failure: one line, `rowscope: ` once,
// PostgreSQL's SQLSTATE and hint, no stack.
import { describe, expect, it } from 'vitest';
import { CliError, errorLines, FailedMigration } from '../../../src/cli/errors.ts';
import { MigrationError } from '../../../src/db/migrate.ts';
import { ModelError } from '../../../src/model/index.ts';

describe('errorLines', () => {
  it('prints one line per model problem, as file: path: message', () => {
    const error = new ModelError([
      { file: 'm.yaml', path: 'tables.a.ownership', message: "'usr' is not valid" },
      { file: 'm.yaml', path: '', message: 'YAML syntax error at line 2, column 3: bad' },
    ]);
    expect(errorLines(error)).toEqual(["m.yaml: tables.a.ownership: 'usr' is not valid", 'm.yaml: YAML syntax error at line 2, column 3: bad']);
  });

  it('prefixes rowscope: exactly once', () => {
    expect(errorLines(new CliError('no SQL given'))).toEqual(['rowscope: no SQL given']);
    expect(errorLines(new Error('rowscope: already prefixed'))).toEqual(['rowscope: already prefixed']);
    expect(errorLines(new Error('rowscope serve: no secret'))).toEqual(['rowscope serve: no secret']);
  });

  it('adds the SQLSTATE, detail and hint of a PostgreSQL error', () => {
    const pgError = Object.assign(new Error('rowscope: bob lacks write on account 1: no role grants write on account'), {
      code: '42501', severity: 'ERROR', hint: 'ask for a role',
    });
    expect(errorLines(pgError)).toEqual(['rowscope: bob lacks write on account 1: no role grants write on account [SQLSTATE 42501]; hint: ask for a role']);
  });

  it('names the failing migration', () => {
    const error = new FailedMigration('17_rowscope-init', new MigrationError('rowscope: table app.x named in the model does not exist', '42P01'));
    expect(errorLines(error)).toEqual(['rowscope: migration 17_rowscope-init failed: table app.x named in the model does not exist [SQLSTATE 42P01]']);
  });

  it('explains a refused connection, also when Node reports it as an AggregateError', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', address: '127.0.0.1', port: 1 });
    const aggregate = Object.assign(new AggregateError([inner], ''), { code: 'ECONNREFUSED' });
    const expected = ['rowscope: cannot connect to PostgreSQL at 127.0.0.1:1: connection refused; is PostgreSQL running there? (check DATABASE_URL)'];
    expect(errorLines(inner)).toEqual(expected);
    expect(errorLines(aggregate)).toEqual(expected);
  });

  it('joins a multi-line message into one line and flags programming errors', () => {
    expect(errorLines(new Error('embedded PostgreSQL did not start:\nFATAL: x\n\nFATAL: y'))).toEqual(['rowscope: embedded PostgreSQL did not start:; FATAL: x; FATAL: y']);
    expect(errorLines(new TypeError("cannot read properties of undefined (reading 'x')"))[0]).toMatch(/^rowscope: internal error: .* \(set ROWSCOPE_DEBUG=1 to see where\)$/);
  });
});
