// The psql-style table printout of `rowscope as`.
import { describe, expect, it } from 'vitest';
import { formatOutput, formatTable } from '../../../src/cli/table.ts';

const TEXT = 25;
const INT = 23;
const NUMERIC = 1700;

describe('formatTable', () => {
  it('centres headers, left-aligns text, right-aligns numbers and counts rows like psql', () => {
    expect(formatTable(
      [{ name: 'name', dataTypeID: TEXT }, { name: 'n', dataTypeID: INT }, { name: 'revenue', dataTypeID: NUMERIC }],
      [['Alpha Inc.', '7', '1200.50'], ['Beta', '12', null]],
    )).toBe([
      '    name    | n  | revenue',
      '------------+----+---------',
      ' Alpha Inc. |  7 | 1200.50',
      ' Beta       | 12 |',
      '(2 rows)',
    ].join('\n'));
  });

  it('prints the header of an empty result and says 1 row in the singular', () => {
    expect(formatTable([{ name: 'id', dataTypeID: TEXT }], [])).toBe(' id\n----\n(0 rows)');
    expect(formatTable([{ name: 'x', dataTypeID: TEXT }], [['y']])).toBe(' x\n---\n y\n(1 row)');
  });

  it('keeps each row on one line', () => {
    expect(formatTable([{ name: 'note', dataTypeID: TEXT }], [['two\nlines\tand a tab']]).split('\n')[2]).toBe(' two\\nlines\\tand a tab');
  });

  it('measures text in terminal columns: accents count once, East Asian characters twice', () => {
    expect(formatTable([{ name: 'city', dataTypeID: TEXT }, { name: 'n', dataTypeID: INT }], [['Zürich', '1'], ['東京', '2']]))
      .toBe(['  city  | n', '--------+---', ' Zürich | 1', ' 東京   | 2', '(2 rows)'].join('\n'));
  });
});

describe('formatOutput', () => {
  it('prints the command tag of a statement without columns', () => {
    expect(formatOutput({ command: 'UPDATE', rowCount: 3, columns: [], rows: [] })).toBe('UPDATE 3');
    expect(formatOutput({ command: 'INSERT', rowCount: 1, columns: [], rows: [] })).toBe('INSERT 0 1');
  });

  it('prints the rows of a statement with RETURNING', () => {
    expect(formatOutput({ command: 'INSERT', rowCount: 1, columns: [{ name: 'id', dataTypeID: INT }], rows: [['5']] })).toBe(' id\n----\n  5\n(1 row)');
  });
});
