// Issue 17 items 8 and 9: explain_access never contradicts itself (a share
// that cannot count is not offered as the fix), every fix is a list of
// statements (rowscope.explain_fix) that grants the right, and a right the
// user holds but cannot use without read on the record is reported as not
// held by check_access and explained ("write needs read on the record").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const rec: Record<string, string> = {};

type Row = { access_right: string; granted: boolean; reasons: string[] };
type Step = { step: number; description: string; statement: string };
const explain = async (id: string, user: string): Promise<Record<string, Row>> =>
  Object.fromEntries((await org.admin<Row>('select * from rowscope.explain_access($1, $2, $3)', ['account', id, org.id(user)])).map((r) => [r.access_right, r]));
const rights = async (id: string, user: string): Promise<string[]> =>
  (await org.admin<{ r: string[] }>('select rowscope.check_access($1, $2, $3) as r', ['account', id, org.id(user)]))[0]!.r;
const fixOf = (id: string, right: string, user: string) =>
  org.admin<Step>('select * from rowscope.explain_fix($1, $2, $3, $4) order by step', ['account', id, right, org.id(user)]);

/** Runs the fix's statements as the deployment administrator, then check_access; all rolled back. */
async function rightsAfterFix(id: string, right: string, user: string): Promise<string[]> {
  const c = await org.pool.connect();
  try {
    await c.query('begin');
    const steps = (await c.query<Step>('select * from rowscope.explain_fix($1, $2, $3, $4) order by step', ['account', id, right, org.id(user)])).rows;
    for (const s of steps) await c.query(s.statement);
    return (await c.query('select rowscope.check_access($1, $2, $3) as r', ['account', id, org.id(user)])).rows[0].r;
  } finally {
    await c.query('rollback');
    c.release();
  }
}

beforeAll(async () => {
  db = await securedDatabase('explain_fixes');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('east', 'root');
  await org.createUser('owner', 'east', ['full']);
  await org.createUser('judy', 'east');
  await org.createUser('wendy', 'east', ['writer']);
  await org.createUser('abby', 'east', ['full']);
  await org.createUser('dora', 'east', ['full']);
  rec.shared = await org.record('account', 'shared with judy', 'owner');
  await org.as('owner', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', rec.shared, org.id('judy'), ['read']]);
  // wendy holds write (role writer, user depth) and the record is shared with her for write only
  rec.written = await org.record('account', 'shared for write', 'owner');
  await org.as('owner', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', rec.written, org.id('wendy'), ['write']]);
  // abby joins the record's access team, then loses read: the team still gives write
  rec.team = await org.record('account', 'team record', 'owner');
  await org.as('owner', 'select rowscope.add_access_team_member($1, $2, $3, $4)', ['account', rec.team, 'account_team', org.id('abby')]);
  await org.admin('select rowscope.remove_role($1, $2)', [org.id('abby'), 'full']);
  await org.admin('select rowscope.assign_role($1, $2)', [org.id('abby'), 'writer']);
  await org.admin('select rowscope.disable_user($1)', [org.id('dora')]);
  await org.createUser('rita', 'east', ['reader']);
  rec.rita = await org.record('account', 'rita\'s', 'rita');
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('a fix never offers what the explanation says cannot count', () => {
  it('judy (no role) on a record shared with her: the fix is a role, with which the share counts', async () => {
    const e = await explain(rec.shared, 'judy');
    const text = e.read.reasons.join(' | ');
    expect(e.read.granted).toBe(false);
    expect(text).toMatch(/a share counts only while .*judy holds read on account at user depth/);
    expect(text).toMatch(/fix: give .*judy the role reader \(read on account at user depth\) \(rowscope\.assign_role\), with which the existing share counts$/);
    for (const row of Object.values(e)) {
      if (row.reasons.some((r) => r.includes('a share counts only while'))) expect(row.reasons.join(' | ')).not.toMatch(/share the record with/);
    }
    expect(await rightsAfterFix(rec.shared, 'read', 'judy')).toContain('read');
  });

  it('explain_fix gives the fix line\'s steps as statements, in order', async () => {
    const steps = await fixOf(rec.shared, 'write', 'judy');
    expect(steps.map((s) => s.step)).toEqual(steps.map((_, i) => i + 1));
    const e = await explain(rec.shared, 'judy');
    expect(e.write.reasons.at(-1)).toBe(`fix: ${steps.map((s) => s.description).join(', and ')}`);
    expect(steps.map((s) => s.statement).join('; ')).toMatch(/rowscope\.assign_role\(.*'reader'.*rowscope\.assign_role\(.*'writer'.*rowscope\.grant_access\('account', .*'\{write\}'::text\[\]\)/);
    expect(await rightsAfterFix(rec.shared, 'write', 'judy')).toEqual(expect.arrayContaining(['read', 'write']));
  });

  it('a disabled user: enable first, then whatever else is missing', async () => {
    const other = await org.record('account', 'not dora\'s', 'owner');
    const steps = await fixOf(other, 'delete', 'dora');
    expect(steps[0]!.statement).toMatch(/rowscope\.enable_user/);
    // dora holds read and delete at user depth: one share of both reaches the record
    expect(steps.slice(1).map((s) => s.description)).toEqual([expect.stringMatching(/^share the record with .*dora \(read, delete\) \(rowscope\.grant_access\)$/)]);
    expect(await rightsAfterFix(other, 'delete', 'dora')).toEqual(expect.arrayContaining(['read', 'delete']));
  });

  it('a right already held has no fix', async () => {
    expect(await fixOf(rec.shared, 'read', 'owner')).toEqual([]);
  });
});

describe('rights that cannot be used without read', () => {
  it('a share of write alone: check_access does not report write, and an UPDATE changes nothing', async () => {
    expect(await rights(rec.written, 'wendy')).toEqual([]);
    const updated = await org.as('wendy', 'update api.account set name = name where id = $1 returning id', [rec.written]);
    expect(updated).toEqual([]);
  });

  it('explain says why the held write does not count, and the fix gives read', async () => {
    const e = await explain(rec.written, 'wendy');
    expect(e.write.granted).toBe(false);
    expect(e.write.reasons[0]).toMatch(/^write needs read on the record: .*wendy holds write here \(shared with the user by .*owner \(write\)\) but cannot read the record$/);
    expect(e.write.reasons[1]).toBe('no role grants read on account');
    // no share gives wendy read: the narrowest role, and a share of read (write she holds already)
    expect(e.write.reasons.at(-1)).toMatch(/^fix: give .*wendy the role reader \(read on account at user depth\) \(rowscope\.assign_role\), and share the record with .*wendy \(read\) \(rowscope\.grant_access\)$/);
    expect(e.write.reasons.join(' | ')).not.toMatch(/share the record with .*wendy \(write\)/);
    expect(await rightsAfterFix(rec.written, 'write', 'wendy')).toEqual(['read', 'write']);
  });

  it('the access-team member with write but no read (issue 17): same', async () => {
    expect(await rights(rec.team, 'abby')).toEqual([]);
    const e = await explain(rec.team, 'abby');
    expect(e.write.reasons[0]).toMatch(/^write needs read on the record: .*abby holds write here \(member of the account_team access team of this record \(read, write, append\)\)/);
    expect(e.append.reasons[0]).toMatch(/^append needs read on the record/);
    expect(e.append_to.reasons.join(' | ')).not.toMatch(/needs read/);
    // read through the team's share counts once abby holds read again
    expect(e.write.reasons.at(-1)).toMatch(/^fix: give .*abby the role reader \(read on account at user depth\) \(rowscope\.assign_role\), with which the existing share counts$/);
    expect(await rightsAfterFix(rec.team, 'write', 'abby')).toEqual(['read', 'write', 'append']);
  });
});

describe('explain_fix checks like explain_access', () => {
  it('a caller who may not read role definitions learns what a role must give, not which role gives it', async () => {
    const [mine] = await org.as<Step>('rita', `select * from rowscope.explain_fix($1, $2, 'delete')`, ['account', rec.rita]);
    expect(mine).toEqual({ step: 1, description: expect.stringMatching(/^give .*rita a role \(delete on account at user depth\) \(rowscope\.assign_role\)$/), statement: null });
    const explained = await org.as<Row>('rita', `select * from rowscope.explain_access($1, $2) where access_right = 'delete'`, ['account', rec.rita]);
    expect(explained[0]!.reasons.at(-1)).toBe(`fix: ${mine!.description}`);
    const [named] = await fixOf(rec.rita, 'delete', 'rita');
    expect(named!.statement).toMatch(/rowscope\.assign_role\(.*'full'/);
  });

  it('a right that is none is a bad argument', async () => {
    const err = await org.admin('select * from rowscope.explain_fix($1, $2, $3, $4)', ['account', rec.shared, 'fly', org.id('judy')]).catch((e) => e);
    expect(err.code).toBe('22023');
    expect(err.message).toContain('access_right');
  });

  it('a record the caller cannot read is no such record; another user needs read on system_user', async () => {
    const missing = await org.refused('judy', 'select * from rowscope.explain_fix($1, $2, $3)', ['account', rec.written, 'read']);
    expect(missing.code).toBe('22023');
    expect(missing.message).toContain('no such record');
    const other = await org.refused('owner', 'select * from rowscope.explain_fix($1, $2, $3, $4)', ['account', rec.written, 'read', org.id('wendy')]);
    expect(other.code).toBe('42501');
    expect(other.message).toContain('lacks read on system_user');
  });
});
