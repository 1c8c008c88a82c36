// Secured columns under attack (fields model): a user whose profile or field
// share covers a column must still get its value only on the records it may
// read (and, for a field share, only on the shared record), through every path:
// the api view with a leaky function, the generated lookup function called
// directly with any id, the data table.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const ids: Record<string, string> = {};
let before: unknown;

const stored = () => org.admin('select * from app.employee order by id');

beforeAll(async () => {
  db = await securedDatabase('fields');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('clerk_a', 'root', ['clerk']);
  await org.createUser('clerk_b', 'root', ['clerk']);
  await org.createUser('reader', 'root', ['reader']);
  for (const p of ['clerk_a', 'clerk_b']) await org.admin('select rowscope.add_profile_member($1, $2)', ['salary_view', org.id(p)]);
  ids.a = await org.record('employee', 'a_row', 'clerk_a', { salary: 1001, bonus: 11, ssn: 'ssn-a' });
  ids.b1 = await org.record('employee', 'b_row1', 'clerk_b', { salary: 98765, bonus: 22222, ssn: 'ssn-b1' });
  ids.b2 = await org.record('employee', 'b_row2', 'clerk_b', { salary: 87654, bonus: 33333, ssn: 'ssn-b2' });
  // clerk_b shares the salary of b_row1 (a field share only) with the reader
  await org.as('clerk_b', `select rowscope.share_field('employee', $1, 'salary', $2, true, false)`, [ids.b1, org.id('reader')]);
  before = await stored();
});
afterEach(async () => expect(await stored()).toEqual(before));
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

async function withNotices(persona: string, text: string): Promise<{ rows: any[]; notices: string[] }> {
  const c = await org.pool.connect();
  const notices: string[] = [];
  c.on('notice', (n) => notices.push(n.message ?? ''));
  try {
    await c.query('begin');
    await c.query(`select set_config('role', $1, true)`, [org.role(persona)]);
    await c.query(`create function pg_temp.leak(text) returns boolean language plpgsql cost 0.0000001 as $$ begin raise notice 'leak %', $1; return true; end $$`);
    return { rows: (await c.query(text)).rows, notices };
  } finally {
    await c.query('rollback');
    c.release();
  }
}

const SECRETS = ['98765', '87654', 'ssn-b1', 'ssn-b2', '22222', '33333'];

describe('a profile holder with user-depth rows', () => {
  it('a leaky function over the api view sees its own salary only', async () => {
    const { rows, notices } = await withNotices('clerk_a', `select name, salary from api.employee where pg_temp.leak(name || ':' || coalesce(salary::text, 'null') || coalesce(ssn, ''))`);
    expect(rows).toEqual([{ name: 'a_row', salary: '1001' }]);
    expect(notices).toEqual(['leak a_row:1001']);
  });
  it('the salary lookup called directly with another user\'s record id returns null', async () => {
    const [fn] = await org.admin(`select p.oid::regproc::text as f from pg_proc p where p.proname like 'field_employee__salary_%'`);
    for (const id of [ids.b1, ids.b2]) {
      const [row] = await org.as('clerk_a', `select ${fn.f}($1) as v`, [id]);
      expect(row.v).toBeNull();
    }
    const [own] = await org.as('clerk_a', `select ${fn.f}($1) as v`, [ids.a]);
    expect(own.v).toBe('1001');
  });
  it('the data table refuses the column in every clause', async () => {
    for (const text of ['select salary from app.employee', 'select name from app.employee where salary > 0', 'select name from app.employee order by ssn']) {
      expect((await org.refused('clerk_a', text)).code, text).toBe('42501');
    }
  });
});

describe('a field share without a profile (organization-wide row reader)', () => {
  it('shows the shared record\'s salary and no other, whatever the query', async () => {
    const { rows, notices } = await withNotices('reader', `select name, salary, bonus, ssn from api.employee where pg_temp.leak(coalesce(salary::text, 'null') || '/' || coalesce(bonus::text, 'null') || '/' || coalesce(ssn, 'null')) order by name`);
    expect(rows).toEqual([
      { name: 'a_row', salary: null, bonus: null, ssn: null },
      { name: 'b_row1', salary: '98765', bonus: null, ssn: null },
      { name: 'b_row2', salary: null, bonus: null, ssn: null },
    ]);
    expect(notices.sort()).toEqual(['leak 98765/null/null', 'leak null/null/null', 'leak null/null/null']);
  });
  it('cannot filter or sort hidden salaries into an oracle', async () => {
    const [{ n }] = await org.as('reader', 'select count(*)::int as n from api.employee where salary > 80000');
    expect(n).toBe(1); // only the shared one
    const order = await org.as('reader', 'select name from api.employee where salary is not null order by salary');
    expect(order).toEqual([{ name: 'b_row1' }]);
  });
  it('cannot pass the share on or widen it to update', async () => {
    for (const text of [
      `select rowscope.share_field('employee', $1, 'salary', $2, true, false)`,
      `select rowscope.share_field('employee', $1, 'salary', $2, true, true)`,
    ]) {
      const err = await org.refused('reader', text, [ids.b1, org.id('clerk_a')]);
      expect(['42501', '22023']).toContain(err.code);
    }
    const err = await org.refused('reader', `update api.employee set salary = 1 where id = $1`, [ids.b1]);
    expect(err.code).toBe('42501');
  });
});

describe('writes as an attack on secured values', () => {
  it('a clerk cannot write another user\'s or its own secured columns without update permission', async () => {
    for (const [text, id] of [
      ['update app.employee set salary = 0 where id = $1', ids.a],
      ['update api.employee set ssn = $2 where id = $1', ids.a],
      ['update api.employee set bonus = 0 where id = $1', ids.a],
    ] as [string, string][]) {
      const err = await org.refused('clerk_a', text, text.includes('$2') ? [id, 'x'] : [id]);
      expect(err.code, text).toBe('42501');
      const message = err.message.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, '<id>');
      for (const s of SECRETS) expect(message).not.toContain(s);
    }
    expect(await org.as('clerk_a', 'update api.employee set salary = 0 where id = $1 returning id', [ids.b1])).toEqual([]);
  });
});
