// SPEC §4 check_access / explain_access: every kind of path that grants a
// right, every kind of denial with its fix, checking other users, and the
// consistency of check_access with what the policies and the row guard allow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
const rec: Record<string, string> = {};

type Row = { access_right: string; granted: boolean; reasons: string[] };
/** explain_access as the caller ('admin': the deployment administrator, who must name the user). */
const explain = async (caller: string, id: string, user?: string): Promise<Record<string, Row>> => {
  const args = ['account', id, user ? org.id(user) : null];
  const text = 'select * from rowscope.explain_access($1, $2, $3)';
  const rows = caller === 'admin' ? await org.admin<Row>(text, args) : await org.as<Row>(caller, text, args);
  return Object.fromEntries(rows.map((r) => [r.access_right, r]));
};

beforeAll(async () => {
  db = await securedDatabase('hierarchy');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('east', 'sales');
  await org.createUser('mgr', 'sales', ['rep']);
  await org.createUser('rep1', 'east', ['rep']);
  await org.createUser('colleague', 'east', ['rep', 'bu_reader']);
  await org.createUser('stranger', 'sales');
  await org.createUser('readonly', 'east', ['rep'], 'read');
  await org.admin('select rowscope.set_manager($1, $2)', [org.id('rep1'), org.id('mgr')]);
  await org.createTeam('east team', 'east');
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('east team'), org.id('rep1')]);
  rec.own = await org.record('account', 'rep1 account', 'rep1');
  rec.team = await org.record('account', 'team account', 'east team');
  rec.shared = await org.record('account', 'colleague account', 'colleague');
  await org.as('colleague', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', rec.shared, org.id('rep1'), ['read', 'write']]);
  await org.as('colleague', 'select rowscope.grant_access($1, $2, $3, $4)', ['account', rec.shared, org.id('stranger'), ['read']]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('explain_access: why', () => {
  it('names the role, its depth and the ownership it covers', async () => {
    const e = await explain('rep1', rec.own);
    expect(e.read.granted).toBe(true);
    expect(e.read.reasons.join(' | ')).toMatch(/role rep \(user depth\) covers records owned by .*rep1 \(the user\)/);
    expect(e.delete.granted).toBe(true);
  });

  it('names the BU a business_unit role covers', async () => {
    const e = await explain('colleague', rec.own);
    expect(e.read.reasons.join(' | ')).toMatch(/role bu_reader \(business_unit depth, BU .*east\) covers owning BU .*east/);
  });

  it('names shares: with whom, by whom, which rights', async () => {
    const e = await explain('rep1', rec.shared);
    expect(e.write.granted).toBe(true);
    expect(e.write.reasons.join(' | ')).toMatch(/shared with the user by .*colleague \(read, write\)/);
    expect(e.delete.granted).toBe(false);
  });

  it('names owner teams', async () => {
    const e = await explain('rep1', rec.team);
    expect(e.read.reasons.join(' | ')).toMatch(/covers records owned by team .*east team, a team the user belongs to/);
  });

  it('names the hierarchy path with its level', async () => {
    const e = await explain('mgr', rec.own);
    expect(e.read.granted).toBe(true);
    expect(e.read.reasons.join(' | ')).toMatch(/manager of the owner, .*rep1 \(level 1\)/);
    expect(e.delete.granted).toBe(false);
    expect(e.delete.reasons.join(' | ')).toContain('hierarchy never gives delete');
  });
});

describe('explain_access: why not, and the fix', () => {
  it('no role at all: says so, notes a share that cannot count yet, and proposes a fix that works', async () => {
    const e = await explain('admin', rec.shared, 'stranger');
    expect(e.read.granted).toBe(false);
    const text = e.read.reasons.join(' | ');
    expect(text).toContain('no role grants read on account');
    expect(text).toMatch(/shared with .*stranger.* but a share counts only while .* holds read on account at user depth/);
    // the share is there already: a role at user depth makes it count (issue 17 item 8)
    expect(text).toMatch(/fix: give .*stranger the role rep \(read on account at user depth\) \(rowscope\.assign_role\), with which the existing share counts$/);
    expect(text).not.toMatch(/share the record with/);
  });

  it('a role out of scope: names the depth it holds and the owner', async () => {
    const e = await explain('admin', rec.own, 'colleague');
    expect(e.write.granted).toBe(false);
    expect(e.write.reasons.join(' | ')).toMatch(/role rep gives write at user depth; the record is owned by .*rep1 in BU .*east/);
  });

  it('access mode read: only read, and the fix names set_access_mode', async () => {
    await org.as('readonly', 'select 1'); // a rowscope user with a read-only access mode
    const e = await explain(`readonly`, await org.record('account', 'readonly account', 'readonly'));
    expect(e.read.granted).toBe(true);
    expect(e.write.granted).toBe(false);
    expect(e.write.reasons.join(' | ')).toMatch(/access mode read allows reading only.*fix: set the access mode/);
  });
});

describe('checking another user', () => {
  it('needs read on system_user covering that user', async () => {
    const r = await org.refused('rep1', 'select rowscope.check_access($1, $2, $3)', ['account', rec.own, org.id('colleague')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain('lacks read on system_user');
  });

  it('the deployment administrator may check anyone, and must name the user', async () => {
    const [{ rights }] = await org.admin('select rowscope.check_access($1, $2, $3) as rights', ['account', rec.shared, org.id('rep1')]);
    expect(rights).toEqual(['read', 'write']);
    const err = await org.admin('select rowscope.check_access($1, $2)', ['account', rec.shared]).catch((e) => e);
    expect(err.code).toBe('22023');
  });

  it('a record the caller cannot read is reported like a missing one', async () => {
    const r = await org.refused('stranger', 'select rowscope.check_access($1, $2)', ['account', rec.own]);
    expect(r.code).toBe('22023');
    expect(r.message).toContain('no such record');
  });
});

describe('check_access agrees with the policies and the row guard', () => {
  it('for every user and record: read iff visible, write iff an update goes through, delete iff a delete goes through', async () => {
    const users = ['mgr', 'rep1', 'colleague', 'stranger', 'readonly'];
    const records = (await org.admin<{ id: string }>('select id from app.account order by name')).map((r) => r.id);
    for (const u of users) {
      for (const id of records) {
        const [{ rights }] = await org.admin('select rowscope.check_access($1, $2, $3) as rights', ['account', id, org.id(u)]);
        const visible = (await org.as(u, 'select id from api.account where id = $1', [id])).length === 1;
        expect(rights.includes('read'), `${u} read ${id}`).toBe(visible);
        for (const [right, stmt] of [['write', 'update api.account set name = name where id = $1'], ['delete', 'delete from api.account where id = $1']] as const) {
          const c = await org.pool.connect();
          let allowed: boolean;
          try {
            await c.query('begin');
            await c.query(`select set_config('role', $1, true)`, [org.role(u)]);
            allowed = ((await c.query(stmt, [id])).rowCount ?? 0) === 1;
          } catch (e) {
            if ((e as { code: string }).code !== '42501') throw e;
            allowed = false;
          } finally {
            await c.query('rollback');
            c.release();
          }
          expect(rights.includes(right), `${u} ${right} ${id}`).toBe(allowed);
        }
      }
    }
  });
});
