// SPEC §2 Assign (issue 17 item 1): the new owner must be an enabled user or an
// owner team holding read on the table at user depth or wider (through any of
// its roles; a user also through its owner teams' roles); otherwise 42501
// naming the missing privilege, and nothing changes. rowscope.assign and an
// UPDATE of owner_id alike, whoever assigns; a cascade's children follow
// unchecked (sql/080 _require_owner_can_read).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { securedDatabase } from '../../support/secured.ts';
import { Org } from '../../support/org.ts';
import type { TestDatabase } from '../../support/database.ts';

let db: TestDatabase;
let org: Org;

const ownerOf = async (table: string, id: string) =>
  (await org.admin(`select owner_id from app.${table === 'account' ? 'account' : 'contact'} where id = $1`, [id]))[0].owner_id as string;
const defaultTeam = async (bu: string) =>
  (await org.admin('select id from rowscope.team where business_unit_id = $1 and is_default', [org.bu(bu)]))[0].id as string;

beforeAll(async () => {
  db = await securedDatabase('fidelity');
  org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createUser('alice', 'sales', ['seller']);
  await org.createUser('norole', 'sales');
  await org.createUser('viateam', 'sales');
  await org.createUser('reader', 'sales', ['account_reader']);
  await org.createTeam('bare', 'sales');
  await org.createTeam('readers', 'sales');
  await org.admin(`select rowscope.assign_role($1, 'account_reader')`, [org.id('readers')]);
  await org.admin('select rowscope.add_team_member($1, $2)', [org.id('readers'), org.id('viateam')]);
});
afterAll(async () => {
  await org?.close();
  await db?.drop();
});

describe('a new owner without read on the table is refused (missing prvRead)', () => {
  it('an owner team with no role, through rowscope.assign', async () => {
    const a = await org.record('account', 'to_bare', 'alice');
    const r = await org.refused('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('bare')]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(`${org.role('alice')} lacks assign on account ${a}`);
    expect(r.message).toContain(`team ${org.tag} bare is missing prvRead on account`);
    expect(await ownerOf('account', a)).toBe(org.id('alice'));
  });

  it('a user with no role, through an UPDATE of owner_id', async () => {
    const a = await org.record('account', 'to_norole', 'alice');
    const r = await org.refused('alice', 'update api.account set owner_id = $1 where id = $2', [org.id('norole'), a]);
    expect(r.code).toBe('42501');
    expect(r.message).toContain(`${org.role('norole')} is missing prvRead on account`);
    expect(await ownerOf('account', a)).toBe(org.id('alice'));
  });

  it('the deployment administrator too', async () => {
    const a = await org.record('account', 'admin_to_norole', 'alice');
    await expect(org.admin('update app.account set owner_id = $1 where id = $2', [org.id('norole'), a]))
      .rejects.toMatchObject({ code: '42501', message: expect.stringContaining('missing prvRead on account') });
    expect(await ownerOf('account', a)).toBe(org.id('alice'));
  });

  it('a BU\'s default team without a role', async () => {
    const a = await org.record('account', 'to_default', 'alice');
    const team = await defaultTeam('sales');
    const r = await org.refused('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, team]);
    expect(r.message).toContain('missing prvRead on account');
    await org.admin(`select rowscope.assign_role($1, 'account_reader')`, [team]);
    await org.as('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, team]);
    expect(await ownerOf('account', a)).toBe(team);
    await org.admin(`select rowscope.remove_role($1, 'account_reader')`, [team]);
  });
});

describe('a new owner holding read is accepted', () => {
  it('a user with a role giving read at user depth', async () => {
    const a = await org.record('account', 'to_reader', 'alice');
    await org.as('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('reader')]);
    expect(await ownerOf('account', a)).toBe(org.id('reader'));
  });

  it('a user holding read only through an owner team\'s role', async () => {
    const a = await org.record('account', 'to_viateam', 'alice');
    await org.as('alice', 'update api.account set owner_id = $1 where id = $2', [org.id('viateam'), a]);
    expect(await ownerOf('account', a)).toBe(org.id('viateam'));
  });

  it('an owner team with such a role', async () => {
    const a = await org.record('account', 'to_readers', 'alice');
    await org.as('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('readers')]);
    expect(await ownerOf('account', a)).toBe(org.id('readers'));
  });

  it('children follow by cascade although the new owner cannot read contacts', async () => {
    const a = await org.record('account', 'cascade_parent', 'alice');
    const c = await org.record('contact', 'cascade_child', 'alice', { account_id: a });
    await org.as('alice', 'select rowscope.assign($1, $2, $3)', ['account', a, org.id('reader')]);
    expect(await ownerOf('account', a)).toBe(org.id('reader'));
    expect(await ownerOf('contact', c)).toBe(org.id('reader'));
  });
});
