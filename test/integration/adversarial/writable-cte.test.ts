// rowsecurity.sql "CTE / subquery tricks": writable CTEs, UPDATE ... FROM,
// DELETE ... USING, RETURNING. Rows the user cannot read are absent (never
// changed, never returned); rows readable but not writable raise 42501.
import { describe, expect, it } from 'vitest';
import { expectNoSecret, guardedArena } from './fixture.ts';

const t = guardedArena(async (a) => {
  await a.org.createUser('bu_peer', 'service', ['salesperson']); // reads the victim's rows, writes only its own
});

// each runs as the attacker and is rolled back when it succeeds (so `mine` stays)
async function asAttackerRolledBack(text: string, values: unknown[] = []): Promise<unknown[]> {
  const c = await t.arena.org.pool.connect();
  try {
    await c.query('begin');
    await c.query(`select set_config('role', $1, true)`, [t.arena.org.role('attacker')]);
    return (await c.query(text, values)).rows;
  } finally {
    await c.query('rollback');
    c.release();
  }
}

describe('unreadable rows are absent from every write form', () => {
  const attacks: [string, string][] = [
    ['a writable CTE update', `with u as (update app.account set name = 'pwned' where id = $1 returning id, name) select * from u`],
    ['a writable CTE delete', `with d as (delete from app.account where id = $1 returning id, name) select * from d`],
    ['a delete CTE feeding an insert', `with d as (delete from app.account where id = $1 returning name) insert into app.account (name) select name from d returning name`],
    ['update ... from the table itself', `update app.account t set name = 'pwned' from app.account s where s.id = $1 and t.id = s.id returning t.id, t.name`],
    ['update ... from the api view', `update app.account t set name = 'pwned' from api.account s where t.id = $1 returning t.name`],
    ['delete ... using', `delete from app.account t using app.account s where t.id = $1 and s.id = t.id returning t.name`],
    ['delete through the api view', `delete from api.account where id = $1 returning name`],
    ['update through the api view', `update api.account set name = 'pwned' where id = $1 returning name`],
    ['update with a subquery in set', `update app.account set name = (select name from app.account where id = $1) where id = $1 returning name`],
    ['update everything', `update app.account set revenue = revenue where $1::uuid is not null and name like 'secret%' returning name`],
    ['delete everything', `delete from app.account where $1::uuid is not null and name like 'secret%' returning name`],
    ['a CTE that deletes contacts by the unreadable account', `with d as (delete from app.contact where account_id = $1 returning name) select * from d`],
  ];
  for (const [what, text] of attacks) {
    it(what, async () => {
      const rows = await asAttackerRolledBack(text, [t.arena.ids.secret_a]);
      expect(rows).toEqual([]);
    });
  }
  it("the attacker's own row is still updatable in the same forms (the attacks were real)", async () => {
    const rows = await asAttackerRolledBack(`with u as (update app.account set name = 'renamed' where id = $1 returning name) select * from u`, [t.arena.ids.mine]);
    expect(rows).toEqual([{ name: 'renamed' }]);
  });
});

describe('readable but not writable: 42501, and the error holds nothing the user could not read', () => {
  const attacks: [string, string][] = [
    ['a writable CTE update', `with u as (update app.account set name = 'pwned' where id = $1 returning id) select * from u`],
    ['update ... from', `update app.account t set name = 'pwned' from api.account s where t.id = $1 and s.id = t.id returning t.name`],
    ['delete ... using', `delete from app.account t using app.account s where t.id = $1 and s.id = t.id returning t.name`],
    ['delete through the api view', `delete from api.account where id = $1 returning name`],
    ['returning a secured column', `update app.account set revenue = revenue where id = $1 returning credit_limit`],
  ];
  for (const [what, text] of attacks) {
    it(what, async () => {
      const err = await t.arena.org.refused('bu_peer', text, [t.arena.ids.secret_a]);
      expect(err.code).toBe('42501');
      const message = err.message.replace(/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}/gi, '<id>');
      for (const limit of ['5000017', '7000019']) expect(message).not.toContain(limit);
    });
  }
});

describe('returning on the own row never reveals a secured column', () => {
  it('returning credit_limit from the data table is refused', async () => {
    const err = await t.arena.org.refused('attacker', `update app.account set revenue = revenue where id = $1 returning credit_limit`, [t.arena.ids.mine]);
    expect(err.code).toBe('42501');
  });
  it('returning * through the api view gives it masked', async () => {
    const rows = await asAttackerRolledBack(`update api.account set revenue = revenue where id = $1 returning name, credit_limit`, [t.arena.ids.mine]);
    expect(rows).toEqual([{ name: 'mine', credit_limit: null }]);
  });
  it('an insert returning into a temp table keeps only what was inserted', async () => {
    const rows = await asAttackerRolledBack(`insert into app.account (name) values ('new') returning name, (select count(*)::int from app.account) as n`);
    expect(rows).toEqual([{ name: 'new', n: 1 }]); // the subquery sees the snapshot before the insert: only `mine`
    expectNoSecret(JSON.stringify(rows));
  });
});
