// Regressions: rules of docs/security-model.md the first implementation contradicted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, expectRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('dora', 'sales', ['owner_rw']);
  await org.admin('select rowscope.disable_user($1)', [org.id('dora')]);
});
afterAll(() => close(f));

describe('disabled users', () => {
  // docs/security-model.md rule 1 and "Errors": a disabled user's INSERT is a refusal (42501 "the user is
  // disabled"), not a bad argument about the owner they never passed.
  it('a disabled user inserting with the default owner gets 42501', async () => {
    const r = await f.org.refused('dora', `insert into api.account (name) values ('ghost')`);
    expectRefusal(r, f.org, 'dora', 'create', 'account');
    expect(r.message).toContain('disabled');
  });
});

describe('move_user', () => {
  // docs/security-model.md: without ownershipAcrossBusinessUnits "owning_business_unit always
  // equals the owner's BU". After move_user the user's records still carry the
  // old BU (nothing in sql/ moves them), so a BU reader of the new BU does not
  // see them and one of the old BU still does.
  it('the moved user\'s records move to the new BU', async () => {
    const { org } = f;
    await org.createUser('moved', 'sales', ['owner_rw']);
    const rid = await org.record('account', 'moved_record', 'moved');
    await org.admin('select rowscope.move_user($1, $2)', [org.id('moved'), org.bu('service')]);
    expect(await org.admin('select owning_business_unit from app.account where id = $1', [rid]))
      .toEqual([{ owning_business_unit: org.bu('service') }]);
  });
});
