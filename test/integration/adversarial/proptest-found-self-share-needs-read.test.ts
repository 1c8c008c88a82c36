// Found by the admin-surface property test (admin-surface.property.test.ts,
// ADMIN_SEED=734745432 path 25): a sharer's share with themselves passes to
// each child only the rights the sharer holds there (sql/110
// _share_rights_for_child). The database counted a right held without read —
// delete from a share of the child that gives no read — and the reference
// (src/reference/usable.ts) does not: a right that needs read counts only with
// read, as check_access says. The database now asks _rights_held, the same
// rule, so such a right is not passed on (and cannot outlive the share that
// gave it, kept alive by the sharer's own share of the parent).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;
let account: string;
let contact: string;

beforeAll(async () => {
  db = await securedDatabase('admin');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createUser('uma', 'root', ['sales_user']);
  await org.createUser('olga', 'root', ['sales_user']);
  account = await org.record('account', 'umas_account', 'uma');
  contact = await org.record('contact', 'olgas_contact', 'olga', { account_id: account });
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

const umasSharesOfContact = () => org.admin<{ rights: string[]; inherited: boolean }>(
  `select rights, inherited_from_record is not null as inherited from rowscope.record_share
   where table_name = 'contact' and record_id = $1 and principal_id = $2 order by 2`, [contact, org.id('uma')]);

describe("a sharer's own share of a parent passes on only the rights usable on the child", () => {
  it('passes no delete the sharer holds there without read', async () => {
    await org.as('olga', 'select rowscope.grant_access($1, $2, $3, $4)', ['contact', contact, org.id('uma'), ['delete', 'assign']]);
    // (she cannot read it, so she cannot ask herself)
    expect(await org.admin('select rowscope.check_access($1, $2, $3) as r', ['contact', contact, org.id('uma')])).toEqual([{ r: [] }]);
    await org.as('uma', 'select rowscope.modify_access($1, $2, $3, $4)', ['account', account, org.id('uma'), ['delete', 'share']]);
    expect(await umasSharesOfContact()).toEqual([{ rights: ['assign', 'delete'], inherited: false }]);
  });

  it('passes on delete once the sharer can read the child', async () => {
    await org.as('olga', 'select rowscope.modify_access($1, $2, $3, $4)', ['contact', contact, org.id('uma'), ['read', 'delete']]);
    await org.as('uma', 'select rowscope.modify_access($1, $2, $3, $4)', ['account', account, org.id('uma'), ['delete', 'share']]);
    expect(await umasSharesOfContact()).toEqual([
      { rights: ['delete', 'read'], inherited: false },
      { rights: ['delete'], inherited: true },
    ]);
  });
});
