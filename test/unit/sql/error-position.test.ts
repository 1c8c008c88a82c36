// PostgreSQL's character positions as JavaScript string positions (src/db/error-position.ts).
import { describe, expect, it } from 'vitest';
import { mendErrorPosition, utf16Position } from '../../../src/db/error-position.ts';

describe('utf16Position', () => {
  it('is the same position when every character is one UTF-16 unit', () => {
    expect(utf16Position('select x', 8)).toBe(8);
    expect(utf16Position('select é', 8)).toBe(8);
  });

  it('counts a character outside the BMP as two units', () => {
    const text = "select '\u{1F600}\u{1F600}'; x";
    // PostgreSQL: x is the 14th character; in JavaScript it is at index 15
    expect(utf16Position(text, 14)).toBe(16);
    expect(text[utf16Position(text, 14) - 1]).toBe('x');
  });

  it('keeps the end-of-input position just past the text', () => {
    const text = 'select (\u{1F600}';
    expect(utf16Position(text, 10)).toBe(text.length + 1);
  });
});

describe('mendErrorPosition', () => {
  it('rewrites a string position to the UTF-16 one', () => {
    const error = { position: '10' };
    mendErrorPosition(error, "select '\u{1F600}'\nx");
    expect(error.position).toBe('11');
  });

  it('drops a position that would not point into a line', () => {
    const onBreak = { position: '3' };
    mendErrorPosition(onBreak, 'a\n\nb');
    expect(onBreak).not.toHaveProperty('position');
    const pastEnd = { position: '9' };
    mendErrorPosition(pastEnd, 'abc');
    expect(pastEnd).not.toHaveProperty('position');
  });

  it('leaves errors without a position alone', () => {
    const error = { message: 'boom' };
    mendErrorPosition(error, 'select 1');
    expect(error).toEqual({ message: 'boom' });
  });
});
