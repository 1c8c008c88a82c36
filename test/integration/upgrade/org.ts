// An organization loaded into a database built by an older rowscope version,
// through the SQL API both versions have (create_business_unit, create_user,
// assign_role, teams, positions, shares, profiles), as the deployment
// administrator; then some audited changes made as users. Logins are
// cluster-wide, so their names carry a random tag.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface LoadedOrg {
  tag: string;
  /** persona -> login */
  logins: Record<string, string>;
  /** persona or team -> id */
  ids: Record<string, string>;
  /** sample records: name -> { table, id } */
  records: Record<string, { table: string; id: string }>;
}

// persona: business unit, roles, position
const PEOPLE: Record<string, { bu: string; roles: string[]; position?: string }> = {
  alice: { bu: 'sales_na', roles: ['sales_team_member'], position: 'rep' },
  bob: { bu: 'sales_na', roles: ['sales_team_member'] },
  mia: { bu: 'sales', roles: ['sales_manager'], position: 'manager' },
  sam: { bu: 'service', roles: ['employee_base'] },
  dana: { bu: 'root', roles: ['data_steward'] },
  hank: { bu: 'root', roles: ['hr_manager'] },
  vic: { bu: 'root', roles: ['employee_base'], position: 'vp' },
  eve: { bu: 'root', roles: ['environment_admin'] },
  nora: { bu: 'service', roles: ['sales_team_member'] },
};
export const PERSONAS = Object.keys(PEOPLE);

export async function loadOrganization(url: string): Promise<LoadedOrg> {
  const tag = `u${randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const one = async (text: string, values: unknown[] = []) => (await c.query(text, values)).rows[0];
  const ids: Record<string, string> = {};
  const logins: Record<string, string> = {};
  const records: LoadedOrg['records'] = {};
  try {
    const bus: Record<string, string> = {};
    bus.root = (await one(`select rowscope.create_business_unit($1, null) as id`, [`${tag} Contoso`])).id;
    bus.sales = (await one(`select rowscope.create_business_unit($1, $2) as id`, [`${tag} Sales`, bus.root])).id;
    bus.sales_na = (await one(`select rowscope.create_business_unit($1, $2) as id`, [`${tag} Sales NA`, bus.sales])).id;
    bus.service = (await one(`select rowscope.create_business_unit($1, $2) as id`, [`${tag} Service`, bus.root])).id;
    const positions: Record<string, string> = {};
    positions.vp = (await one(`select rowscope.create_position($1) as id`, [`${tag} VP Sales`])).id;
    positions.manager = (await one(`select rowscope.create_position($1, $2) as id`, [`${tag} Sales Manager`, positions.vp])).id;
    positions.rep = (await one(`select rowscope.create_position($1, $2) as id`, [`${tag} Sales Rep`, positions.manager])).id;
    for (const [persona, p] of Object.entries(PEOPLE)) {
      logins[persona] = `${tag}_${persona}`;
      ids[persona] = (await one(`select rowscope.create_user($1, $2) as id`, [logins[persona], bus[p.bu]])).id;
      for (const role of p.roles) await c.query(`select rowscope.assign_role($1, $2)`, [ids[persona], role]);
      if (p.position) await c.query(`select rowscope.set_position($1, $2)`, [ids[persona], positions[p.position]]);
    }
    // an owner team holding a role, with bob in it
    ids.deals = (await one(`select rowscope.create_team($1, $2) as id`, [`${tag} Deals`, bus.sales_na])).id;
    await c.query(`select rowscope.assign_role($1, 'sales_team_member')`, [ids.deals]);
    await c.query(`select rowscope.add_team_member($1, $2)`, [ids.deals, ids.bob]);
    await c.query(`select rowscope.add_profile_member('hr_salary_access', $1)`, [ids.hank]);
    await c.query(`select rowscope.add_profile_member('manager_salary_view', $1)`, [ids.mia]);

    const insert = async (key: string, table: string, values: Record<string, unknown>) => {
      const cols = Object.keys(values);
      const row = await one(`insert into app.${table} (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')}) returning id`,
        Object.values(values));
      records[key] = { table, id: row.id };
    };
    for (const [owner, n] of [['alice', 3], ['bob', 2], ['mia', 1], ['sam', 1], ['deals', 1]] as const) {
      for (let i = 1; i <= n; i++) await insert(`account_${owner}_${i}`, 'account', { name: `${owner} account ${i}`, city: 'Lyon', owner_id: ids[owner] });
    }
    await insert('contact_alice', 'contact', { name: 'alice contact', owner_id: ids.alice, account_id: records.account_alice_1!.id });
    await insert('contact_bob', 'contact', { name: 'bob contact', owner_id: ids.bob, account_id: records.account_bob_1!.id });
    await insert('contact_sam', 'contact', { name: 'sam contact', owner_id: ids.sam });
    await insert('product_a', 'product', { name: 'Widget', sku: `${tag}-W`, list_price: 10 });
    await insert('product_b', 'product', { name: 'Gadget', sku: `${tag}-G`, list_price: 20 });
    for (const persona of ['alice', 'bob', 'mia', 'sam', 'vic']) {
      await insert(`employee_${persona}`, 'employee', { name: persona, job_title: 'staff', annual_income: 50000, owner_id: ids[persona] });
    }

    // sharing: a record share, an access team member, a field share
    await c.query(`select rowscope.grant_access('account', $1, $2, array['read', 'write'])`, [records.account_alice_2!.id, ids.sam]);
    await c.query(`select rowscope.grant_access('contact', $1, $2, array['read'])`, [records.contact_alice!.id, ids.deals]);
    await c.query(`select rowscope.add_access_team_member('account', $1, 'account_team', $2)`, [records.account_bob_2!.id, ids.nora]);
    await c.query(`select rowscope.share_field('employee', $1, 'annual_income', $2, true, false)`, [records.employee_alice!.id, ids.vic]);

    // audited changes, as users and as the administrator
    const as = async (persona: string, text: string, values: unknown[]) => {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [logins[persona]]);
      await c.query(text, values);
      await c.query('commit');
    };
    await as('alice', `update api.account set city = 'Paris' where id = $1`, [records.account_alice_1!.id]);
    await as('mia', `select rowscope.assign('account', $1, $2)`, [records.account_alice_3!.id, ids.bob]);
    await as('hank', `update api.employee set annual_income = 61000, job_title = 'lead' where id = $1`, [records.employee_bob!.id]);
    await as('dana', `delete from api.account where id = $1`, [records.account_mia_1!.id]);
    delete records.account_mia_1;
    await c.query(`select rowscope.remove_role($1, 'employee_base')`, [ids.vic]);
    await c.query(`select rowscope.assign_role($1, 'sales_manager')`, [ids.vic]);
  } finally {
    await c.end();
  }
  return { tag, logins, ids, records };
}
