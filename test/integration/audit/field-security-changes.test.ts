// docs/security-model.md "Audit": profile membership and field shares are security changes
// too; and a profile that gives read on a secured column unmasks it in the
// history (audit masking follows field security).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';
import { history, verify } from './audit.ts';

let db: TestDatabase;
let org: Org;
let account: string;

beforeAll(async () => {
  db = await securedDatabase('audit');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('sam', 'root', ['seller']);
  await org.createUser('aud', 'root', ['auditor']);
  account = await org.record('account', 'limited', 'sam', { credit_limit: 500 });
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const creditLimitSeenBy = async (persona: string) =>
  (await org.as(persona, `select changes from api.audit_log where record_id = $1 and action = 'insert'`, [account]))[0].changes.credit_limit;

describe('field security changes', () => {
  it('profile membership is logged and unmasks the column in the history', async () => {
    expect(await creditLimitSeenBy('aud')).toEqual({ old: null, new: null });
    await org.admin(`select rowscope.add_profile_member('credit_control', $1)`, [org.id('aud')]);
    const added = (await history(org, org.id('aud'))).at(-1)!;
    expect(added).toMatchObject({
      table_name: 'field_profile_member', action: 'add_profile_member', changes: { profile: { old: null, new: 'credit_control' } },
    });
    expect(await creditLimitSeenBy('aud')).toEqual({ old: null, new: 500 });
    await org.admin(`select rowscope.remove_profile_member('credit_control', $1)`, [org.id('aud')]);
    expect((await history(org, org.id('aud'))).at(-1)).toMatchObject({ action: 'remove_profile_member' });
    expect(await creditLimitSeenBy('aud')).toEqual({ old: null, new: null });
  });

  it('field shares are logged in the record history', async () => {
    await org.admin(`select rowscope.share_field('account', $1, 'credit_limit', $2, true, false)`, [account, org.id('aud')]);
    await org.admin(`select rowscope.share_field('account', $1, 'credit_limit', $2, false, false)`, [account, org.id('aud')]);
    const rows = (await history(org, account)).filter((r) => r.action !== 'insert');
    expect(rows.map((r) => [r.table_name, r.action])).toEqual([['account', 'share_field'], ['account', 'unshare_field']]);
    expect(rows[0]!.changes).toMatchObject({ column_name: { old: null, new: 'credit_limit' }, can_read: { old: null, new: true } });
    expect(await verify(org)).toEqual([]);
  });
});
