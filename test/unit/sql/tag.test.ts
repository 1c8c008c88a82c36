// The SQL tag (docs/architecture.md): generated SQL is assembled only from static text,
// ident(), lit() and keyword(); anything else throws, so no value reaches the
// SQL text unquoted. Modelled on Kysely's sql-injection tests.
import { describe, expect, it } from 'vitest';
import { body, comment, ident, indent, join, keyword, lit, quoteIdentifier, sql, SqlTagError, statements } from '../../../src/sql/index.ts';

const HOSTILE = 'a"; drop table x; --';

describe('ident()', () => {
  it('quotes plain names', () => {
    expect(ident('account').text).toBe('"account"');
    expect(ident('app', 'account').text).toBe('"app"."account"');
  });
  it('quotes hostile names so they stay one identifier', () => {
    expect(ident(HOSTILE).text).toBe('"a""; drop table x; --"');
    expect(sql`drop table ${ident('app', HOSTILE)}`.text).toBe('drop table "app"."a""; drop table x; --"');
    expect(quoteIdentifier('"')).toBe('""""');
    expect(quoteIdentifier('x.y')).toBe('"x.y"');
  });
  it('keeps case, spaces and unicode inside the quotes', () => {
    expect(ident('Account Name').text).toBe('"Account Name"');
    expect(ident('konto_ä').text).toBe('"konto_ä"');
  });
  it('rejects NUL bytes', () => {
    expect(() => ident('a\0b')).toThrow(SqlTagError);
  });
  it('accepts 63 bytes and rejects 64, counting bytes not characters', () => {
    expect(ident('a'.repeat(63)).text).toBe(`"${'a'.repeat(63)}"`);
    expect(() => ident('a'.repeat(64))).toThrow(SqlTagError);
    expect(() => ident('ä'.repeat(32))).toThrow(SqlTagError); // 64 bytes in 32 characters
    expect(ident('ä'.repeat(31)).text).toBe(`"${'ä'.repeat(31)}"`);
  });
  it('rejects empty names and a missing name', () => {
    expect(() => ident('')).toThrow(SqlTagError);
    expect(() => ident()).toThrow(SqlTagError);
    expect(() => ident('app', '')).toThrow(SqlTagError);
  });
});

describe('sql``', () => {
  it('throws on a raw string, number or object interpolation', () => {
    const raw: any = HOSTILE;
    expect(() => sql`select ${raw}`).toThrow(SqlTagError);
    expect(() => sql`select ${1 as any}`).toThrow(/raw number/);
    expect(() => sql`select ${{ text: 'x' } as any}`).toThrow(SqlTagError);
    expect(() => sql`select ${undefined as any}`).toThrow(SqlTagError);
  });
  it('says which interpolation is raw and how to fix it', () => {
    expect(() => sql`select ${lit(1)}, ${'x' as any}`).toThrow(/interpolation 2 is a raw string; wrap it in ident\(\), lit\(\) or keyword\(\)/);
  });
  it('a forged fragment (plain object with a text field) is refused', () => {
    const forged: any = Object.freeze({ text: 'x; drop table y' });
    expect(() => sql`select ${forged}`).toThrow(SqlTagError);
    expect(() => join([forged])).toThrow(SqlTagError);
  });
  it('composes fragments as text', () => {
    expect(sql`select ${ident('id')} from ${ident('app', 'account')} where ${ident('name')} = ${lit("o'brien")}`.text)
      .toBe(`select "id" from "app"."account" where "name" = 'o''brien'`);
  });
});

describe('lit()', () => {
  it('doubles single quotes and leaves backslashes alone (standard strings)', () => {
    expect(lit("it's").text).toBe("'it''s'");
    expect(lit("'; drop table x; --").text).toBe("'''; drop table x; --'");
    expect(lit('a\\b').text).toBe("'a\\b'");
  });
  it('rejects NUL in strings', () => {
    expect(() => lit('a\0b')).toThrow(SqlTagError);
  });
  it('renders null, booleans, numbers, bigints and arrays', () => {
    expect(lit(null).text).toBe('null');
    expect(lit(true).text).toBe('true');
    expect(lit(false).text).toBe('false');
    expect(lit(42).text).toBe('42');
    expect(lit(-1.5).text).toBe('-1.5');
    expect(lit(10n ** 20n).text).toBe('100000000000000000000');
    expect(lit(['a', "b'c"]).text).toBe(`array['a', 'b''c']`);
  });
  it('rejects non-finite numbers', () => {
    expect(() => lit(Number.NaN)).toThrow(SqlTagError);
    expect(() => lit(Number.POSITIVE_INFINITY)).toThrow(SqlTagError);
  });
  it('renders json as an escaped jsonb literal', () => {
    const text = lit({ json: { name: "o'brien" } }).text;
    expect(text.endsWith('::jsonb')).toBe(true);
    expect(text).toContain("o''brien");
    expect(JSON.parse(text.slice(1, -"'::jsonb".length).replaceAll("''", "'"))).toEqual({ name: "o'brien" });
  });
});

describe('keyword()', () => {
  const COMMANDS = ['select', 'insert', 'update', 'delete'] as const;
  it('passes a word from the closed list', () => {
    expect(keyword('select', COMMANDS).text).toBe('select');
  });
  it('rejects a word outside the list', () => {
    expect(() => keyword('truncate' as any, COMMANDS)).toThrow(SqlTagError);
  });
  it('rejects a listed word that is not a plain keyword', () => {
    const sneaky = ['select; drop table x'] as const;
    expect(() => keyword('select; drop table x', sneaky)).toThrow(SqlTagError);
    expect(() => keyword('Select', ['Select'])).toThrow(SqlTagError);
  });
});

describe('composition helpers', () => {
  it('join() separates fragments and refuses raw parts', () => {
    expect(join([ident('a'), ident('b')]).text).toBe('"a", "b"');
    expect(join([ident('a'), ident('b')], sql` or `).text).toBe('"a" or "b"');
    expect(() => join(['a' as any])).toThrow(SqlTagError);
  });
  it('indent() pads non-empty lines', () => {
    expect(indent(sql`a\n\nb`).text).toBe('  a\n\n  b');
  });
  it('body() picks a dollar-quote tag that does not occur in the body', () => {
    expect(body(sql`select 1`).text).toBe('$body$\nselect 1\n$body$');
    const tricky = body(sql`select '$body$'`).text;
    expect(tricky.startsWith('$body1$\n')).toBe(true);
    expect(tricky.endsWith('\n$body1$')).toBe(true);
  });
  it('statements() ends each statement with exactly one semicolon and leaves comments alone', () => {
    expect(statements([comment('hi'), sql`select 1`, sql`select 2;`]).text).toBe('-- hi\n\nselect 1;\n\nselect 2;');
  });
  it('comment() folds line breaks so the text cannot escape the comment', () => {
    expect(comment('a\ndrop table x;\r\nb').text).toBe('-- a drop table x; b');
  });
});
