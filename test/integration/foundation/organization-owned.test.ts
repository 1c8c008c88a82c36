// docs/security-model.md "Concepts" (ownership types): an organization-owned table has no owner; only
// depths none and organization are valid for it (docs/reference.md validation message).
// Its records are read, created, written and deleted at organization depth.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelError, parseModel } from '../../../src/model/index.ts';
import { close, expectRefusal, expectTablePrivilegeRefusal, foundation, type Foundation } from './foundation.ts';

let f: Foundation;
let widget: string;

beforeAll(async () => {
  f = await foundation();
  const { org } = f;
  await org.createUser('cat_admin', 'sales', ['catalog_admin']);
  await org.createUser('reader', 'emea', ['reader_org']);
  await org.createUser('nobody', 'sales', ['owner_rw']);
  [{ id: widget }] = await org.admin(`insert into app.product (name, price) values ('widget', 5) returning id`);
});
afterAll(() => close(f));

describe('the table', () => {
  it('gets the audit system columns but no owner columns', async () => {
    const cols = (await f.org.admin(`select column_name from information_schema.columns
      where table_schema = 'app' and table_name = 'product' order by column_name`)).map((r) => r.column_name);
    expect(cols).toEqual(expect.arrayContaining(['created_by', 'created_on', 'modified_by', 'modified_on']));
    expect(cols).not.toContain('owner_id');
    expect(cols).not.toContain('owning_business_unit');
  });
});

describe('organization depth', () => {
  it('reads every record, from any BU', async () => {
    expect(await f.org.visible('reader', 'product')).toEqual(['widget']);
    expect(await f.org.visible('cat_admin', 'product')).toEqual(['widget']);
  });
  it('creates, updates and deletes; created_by/modified_by are the database\'s', async () => {
    const { org } = f;
    const [row] = await org.as('cat_admin', `insert into api.product (name, created_by) values ('gadget', $1) returning id`, [org.id('reader')]);
    await org.as('cat_admin', 'update api.product set price = 7 where id = $1', [row.id]);
    expect(await org.admin('select price, created_by, modified_by from app.product where id = $1', [row.id]))
      .toEqual([{ price: '7', created_by: org.id('cat_admin'), modified_by: org.id('cat_admin') }]);
    expect(await org.as('cat_admin', 'delete from api.product where id = $1 returning id', [row.id])).toHaveLength(1);
  });
});

describe('read only', () => {
  it('may not create (42501)', async () => {
    const r = await f.org.refused('reader', `insert into api.product (name) values ('nope')`);
    expectRefusal(r, f.org, 'reader', 'create', 'product');
  });
  it('may not update a product it reads (42501, not 0 rows)', async () => {
    const r = await f.org.refused('reader', 'update api.product set price = 1 where id = $1', [widget]);
    expectTablePrivilegeRefusal(r, 'product');
  });
  it('may not delete a product it reads (42501)', async () => {
    const r = await f.org.refused('reader', 'delete from api.product where id = $1', [widget]);
    expectTablePrivilegeRefusal(r, 'product');
    expect(await f.org.admin('select price from app.product where id = $1', [widget])).toEqual([{ price: '5' }]);
  });
});

describe('no privilege on the table', () => {
  it('sees nothing, and its update and delete are refused as such', async () => {
    const { org } = f;
    expect(await org.visible('nobody', 'product')).toEqual([]);
    expectTablePrivilegeRefusal(await org.refused('nobody', 'update api.product set price = 0 where id = $1 returning id', [widget]), 'product');
    expectTablePrivilegeRefusal(await org.refused('nobody', 'delete from app.product where id = $1 returning id', [widget]), 'product');
    const r = await org.refused('nobody', `insert into api.product (name) values ('nope')`);
    expectRefusal(r, org, 'nobody', 'create', 'product');
  });
});

describe('model validation', () => {
  const model = (depth: string) => ({
    tables: { product: { ownership: 'organization' } },
    roles: { r: { privileges: { product: { read: depth } } } },
  });
  it.each(['user', 'business_unit', 'parent_child'])('rejects %s depth, naming the path and the fix', (depth) => {
    let error: unknown;
    try {
      parseModel(model(depth), 'm.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as Error).message).toContain('roles.r.privileges.product.read');
    expect((error as Error).message).toContain(`'${depth}' is not valid for an organization-owned table; use 'none' or 'organization'`);
  });
  it.each(['none', 'organization'])('accepts %s depth', (depth) => {
    expect(() => parseModel(model(depth), 'm.yaml')).not.toThrow();
  });
});
