// rowsecurity.sql "INSERT ... ON CONFLICT": upserts aimed at rows the user
// cannot see, or can see but not change. The conflicting row must never be
// updated nor returned. A unique key conflict itself says "this id exists":
// that PostgreSQL oracle needs the (random uuid) id, and is pinned below.
import { describe, expect, it } from 'vitest';
import { expectNoSecret, guardedArena } from './fixture.ts';

const t = guardedArena(async (a) => {
  await a.org.createUser('bu_peer', 'service', ['salesperson']); // reads the victim's rows, writes only its own
});

describe('on conflict do update', () => {
  it('against an unreadable row: refused, nothing returned, nothing changed', async () => {
    for (const set of [`name = 'pwned'`, 'name = excluded.name', `owner_id = rowscope.whoami()`, 'revenue = account.revenue + 1']) {
      const err = await t.arena.org.refused('attacker',
        `insert into app.account (id, name) values ($1, 'pwned') on conflict (id) do update set ${set} returning id, name, revenue`, [t.arena.ids.secret_a]);
      expect(['42501'], err.message).toContain(err.code);
      expectNoSecret(err.message);
    }
  });
  it('against a readable row the user may not write: refused with 42501', async () => {
    const err = await t.arena.org.refused('bu_peer',
      `insert into app.account (id, name) values ($1, 'pwned') on conflict (id) do update set name = 'pwned' returning name`, [t.arena.ids.secret_a]);
    expect(err.code).toBe('42501');
  });
  it('a conflict on a secured column cannot be used to read it (no column privilege)', async () => {
    const err = await t.arena.org.refused('attacker',
      `insert into app.account (id, name) values ($1, 'x') on conflict (id) do update set revenue = account.credit_limit returning revenue`, [t.arena.ids.mine]);
    expect(err.code).toBe('42501');
  });
  it('the api view has no conflict target (views take no ON CONFLICT inference)', async () => {
    const err = await t.arena.org.refused('attacker',
      `insert into api.account (id, name) values ($1, 'pwned') on conflict (id) do update set name = 'pwned'`, [t.arena.ids.secret_a]);
    expect(['42P10', '0A000', '42501']).toContain(err.code);
  });
});

describe('on conflict do nothing', () => {
  it('returns nothing for an unreadable conflicting row and changes nothing', async () => {
    const rows = await t.arena.org.as('attacker', `insert into app.account (id, name) values ($1, 'pwned') on conflict (id) do nothing returning id, name`, [t.arena.ids.secret_a]);
    expect(rows).toEqual([]);
  });
});

describe('DOCUMENTED LIMITATION: a unique key conflict confirms that an id exists', () => {
  it('a plain insert with an unreadable row\'s id fails with 23505 (PostgreSQL checks unique indexes without RLS)', async () => {
    // Needs the id (a random uuid) already; the message names the key, never the row.
    const err = await t.arena.org.refused('attacker', `insert into app.account (id, name) values ($1, 'x')`, [t.arena.ids.secret_a]);
    expect(err.code).toBe('23505');
    expectNoSecret(err.message);
    const fresh = await t.arena.org.refused('attacker', `insert into app.account (id, name, owner_id) values (gen_random_uuid(), 'x', $1)`, [t.arena.org.id('victim')]);
    expect(fresh.code).toBe('42501'); // while a create for another BU is a plain refusal
  });
});
