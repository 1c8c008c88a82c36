// rowsecurity.sql "COPY": COPY TO from the data table and from the api view
// gives only readable rows (secured columns refused or masked); COPY FROM into
// a table with RLS is refused by PostgreSQL (use INSERT, which the checks cover).
import { describe, expect, it } from 'vitest';
import { attackEachTest, expectNoSecret } from './fixture.ts';

const t = attackEachTest();

/** COPY ... TO STDOUT: node-pg drops CopyData, so collect it from the connection. */
async function copyOut(text: string): Promise<{ rows: number; data: string }> {
  const chunks: Buffer[] = [];
  const conn = (t.attacker.client as unknown as { connection: NodeJS.EventEmitter }).connection;
  const onData = (msg: { chunk: Buffer }) => chunks.push(msg.chunk);
  conn.on('copyData', onData);
  try {
    const res = await t.attacker.client.query(text);
    return { rows: res.rowCount ?? -1, data: Buffer.concat(chunks).toString('utf8') };
  } finally {
    conn.off('copyData', onData);
  }
}

describe('copy to', () => {
  it('a column list of the data table: only readable rows', async () => {
    const out = await copyOut('copy app.account (id, name, revenue, owner_id) to stdout');
    expect(out.rows).toBe(1);
    expect(out.data).toContain(`${t.arena.ids.mine}\tmine\t10\t`);
    expectNoSecret(out.data);
  });
  it('the whole data table (it includes the secured column) is refused', async () => {
    const err = await t.attacker.attempt('copy app.account to stdout');
    expect(err?.code).toBe('42501');
  });
  it('the secured column alone is refused', async () => {
    const err = await t.attacker.attempt('copy app.account (credit_limit) to stdout');
    expect(err?.code).toBe('42501');
  });
  it('a query over the api view: readable rows, secured column masked', async () => {
    const out = await copyOut('copy (select name, credit_limit from api.account) to stdout');
    expect(out.rows).toBe(1);
    expect(out.data).toBe('mine\t\\N\n');
  });
  it('the api view itself cannot be copied from (a view), and the contacts stay filtered', async () => {
    expect((await t.attacker.attempt('copy api.account to stdout'))?.code).toBeDefined();
    const out = await copyOut('copy app.contact (id, name, account_id) to stdout');
    expect(out.rows).toBe(0);
    expect(out.data).not.toContain('secret_contact');
    expect(out.data).not.toContain(t.arena.ids.secret_a);
  });
  it('to a server file or program is refused', async () => {
    for (const text of [`copy app.account (name) to '/tmp/rowscope-leak'`, `copy app.account (name) to program 'cat'`]) {
      expect((await t.attacker.attempt(text))?.code, text).toBe('42501');
    }
  });
});

describe('copy from', () => {
  it('into the data table is refused while RLS is on (INSERT is the way in)', async () => {
    for (const text of ['copy app.account (name) from stdin', `copy app.account (name, owner_id) from stdin`, 'copy app.account (name, credit_limit) from stdin']) {
      const err = await t.attacker.attempt(text);
      expect(err, text).toBeDefined();
      expect(['0A000', '42501'], `${text}: ${err!.message}`).toContain(err!.code);
    }
  });
  it('from a server file is refused', async () => {
    expect((await t.attacker.attempt(`copy app.account (name) from '/etc/hostname'`))?.code).toBe('42501');
  });
});
