// The CSV reader of `rowscope import DIR` (src/import/csv.ts).
import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from '../../../src/import/csv.ts';

describe('parseCsv', () => {
  it('reads a header and rows: quotes, doubled quotes, CRLF, a BOM, blank lines; empty fields are absent', () => {
    const text = '\uFEFFname,parent\r\n"Sales, EMEA","Org ""A"""\r\n\r\nService,\r\n"multi\nline",Org\n';
    expect(parseCsv(text)).toEqual([
      { line: 2, values: { name: 'Sales, EMEA', parent: 'Org "A"' } },
      { line: 4, values: { name: 'Service' } },
      { line: 5, values: { name: 'multi\nline', parent: 'Org' } },
    ]);
  });

  it('names the line of a row with the wrong number of fields, an unclosed quote, a bad header', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(new CsvError('line 3: 1 fields; the header has 2'));
    expect(() => parseCsv('a,b\n"1,2\n')).toThrow(new CsvError('line 2: a quoted field is not closed'));
    expect(() => parseCsv('a,a\n1,2\n')).toThrow(new CsvError('line 1: column a appears twice'));
    expect(() => parseCsv('a,\n1,2\n')).toThrow(new CsvError('line 1: a column of the header has no name'));
  });

  it('an empty file has no rows', () => {
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('name\n')).toEqual([]);
  });
});
