// Guessing a secured value by writing it (issue F13): at 20fab3e, a user who
// read a row with its salary masked got "lacks update of column salary" for a
// wrong guess and "lacks write on employee" for the right one, because the
// field guard compared the guess with the stored value before the row guard
// ran. Now the row's own checks come first (sql/330_field_writes.sql), and
// every tried value gets the same SQLSTATE and message, NULL included; where
// the user may update the column on some record, writing back the masked NULL
// is no change.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};
let before: unknown;

const SALARY = 98500;
const GUESSES: (number | null)[] = [95000, SALARY, 0, -1, SALARY + 1, 98500.0, null];
const stored = () => org.admin('select id, salary, bonus, title from app.employee order by id');

beforeAll(async () => {
  db = await securedDatabase('fields');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('carol', 'root', ['clerk']);
  await org.createUser('bob', 'root', ['reader']); // reads carol's row, may not write it
  await org.createUser('hr', 'root', ['hr']); // writes every row, no profile
  await org.createUser('hr_shared', 'root', ['hr']); // same, plus a field share with update elsewhere
  await org.createUser('reader_shared', 'root', ['reader']); // reads only, field share with update elsewhere
  ids.carol = await org.record('employee', 'carol', 'carol', { salary: SALARY, bonus: 700 });
  ids.other = await org.record('employee', 'other', 'carol', { salary: 1, bonus: 1 });
  for (const p of ['hr_shared', 'reader_shared']) {
    await org.admin('select rowscope.share_field($1, $2, $3, $4, false, true)', ['employee', ids.other, 'salary', org.id(p)]);
  }
  before = await stored();
});
afterEach(async () => expect(await stored()).toEqual(before));
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

/** code and message of `update … set salary = <guess>` for every guess */
async function outcomes(persona: string, record: string): Promise<string[]> {
  const seen: string[] = [];
  for (const guess of GUESSES) {
    const err = await org.refused(persona, 'update api.employee set salary = $2 where id = $1', [record, guess]);
    seen.push(`${err.code} ${err.message}`);
  }
  return seen;
}

describe('a guessing loop finds nothing', () => {
  it('the row is masked for every attacker', async () => {
    for (const p of ['bob', 'hr', 'hr_shared', 'reader_shared']) {
      expect(await org.as(p, 'select salary from api.employee where id = $1', [ids.carol]), p).toEqual([{ salary: null }]);
    }
  });

  it('a reader without write and without update on the column: one answer for every value', async () => {
    const seen = await outcomes('bob', ids.carol);
    expect(new Set(seen).size, seen.join('\n')).toBe(1);
    expect(seen[0]).toMatch(new RegExp(`^42501 rowscope: .* lacks write on employee ${ids.carol}`));
  });

  it('a writer of the row without update on the column anywhere: one answer, NULL included', async () => {
    const seen = await outcomes('hr', ids.carol);
    expect(new Set(seen).size, seen.join('\n')).toBe(1);
    expect(seen[0]).toMatch(new RegExp(`^42501 rowscope: .* lacks update of column salary on employee ${ids.carol}`));
  });

  it('a reader of the row with update on the column elsewhere: the row check answers first, for every value', async () => {
    const seen = await outcomes('reader_shared', ids.carol);
    expect(new Set(seen).size, seen.join('\n')).toBe(1);
    expect(seen[0]).toMatch(new RegExp(`^42501 rowscope: .* lacks write on employee ${ids.carol}`));
  });

  it('a writer of the row with update on the column elsewhere: one refusal naming the column for every value but the masked NULL, which changes nothing', async () => {
    const seen: string[] = [];
    for (const guess of GUESSES.filter((g) => g !== null)) {
      const err = await org.refused('hr_shared', 'update api.employee set salary = $2 where id = $1', [ids.carol, guess]);
      seen.push(`${err.code} ${err.message}`);
    }
    expect(new Set(seen).size, seen.join('\n')).toBe(1);
    expect(seen[0]).toMatch(new RegExp(`^42501 rowscope: .* lacks update of column salary on employee ${ids.carol}`));
    // writing back what they read is no change
    expect(await org.as('hr_shared', 'update api.employee set salary = null, title = title where id = $1 returning salary', [ids.carol]))
      .toEqual([{ salary: null }]);
    // and the share still works where it applies
    await org.as('hr_shared', 'update api.employee set salary = 2 where id = $1', [ids.other]);
    expect((await org.admin('select salary from app.employee where id = $1', [ids.other]))[0].salary).toBe('2');
    await org.admin('update app.employee set salary = 1 where id = $1', [ids.other]);
  });

  it('a row the user cannot read is not reached: no error, nothing said, whatever the value', async () => {
    await org.createUser('stranger', 'root', []);
    for (const guess of GUESSES) {
      expect(await org.as('stranger', 'update api.employee set salary = $2 where id = $1 returning id', [ids.carol, guess])).toEqual([]);
    }
  });

  it('several columns at once: the answer still does not depend on the value', async () => {
    const seen = new Set<string>();
    for (const [bonus, salary] of [[700, SALARY], [1, 5], [700, 5], [1, SALARY], [null, SALARY], [700, null]]) {
      for (const persona of ['hr', 'hr_shared']) {
        const err = await org.refused(persona, 'update api.employee set bonus = $2, salary = $3 where id = $1', [ids.carol, bonus, salary]);
        seen.add(`${err.code} ${err.message.replace(org.role(persona), '<user>')}`);
      }
    }
    expect(seen.size, [...seen].join('\n')).toBe(1);
  });
});
