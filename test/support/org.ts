// Acting as personas. Login roles are cluster-wide while each test file has
// its own database, so every Org prefixes its users' role names with a random
// tag: two files never share (or re-class) a login.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect } from 'vitest';
import { quoteIdentifier as q } from '../../src/sql/index.ts';

export interface Refusal {
  code: string;
  message: string;
}

export class Org {
  readonly pool: pg.Pool;
  readonly tag = `t${randomBytes(3).toString('hex')}`;
  readonly users = new Map<string, string>(); // persona -> user id
  readonly bus = new Map<string, string>(); // BU name -> id

  constructor(readonly url: string) {
    this.pool = new pg.Pool({ connectionString: url, max: 4 });
    // dropping the test database terminates idle connections that are still closing
    this.pool.on('error', () => {});
  }

  role(persona: string): string {
    return `${this.tag}_${persona}`;
  }

  id(persona: string): string {
    const id = this.users.get(persona);
    if (!id) throw new Error(`no persona ${persona}`);
    return id;
  }

  bu(name: string): string {
    const id = this.bus.get(name);
    if (!id) throw new Error(`no business unit ${name}`);
    return id;
  }

  /** As the deployment administrator (superuser). */
  async admin<T extends pg.QueryResultRow = any>(text: string, values: unknown[] = []): Promise<T[]> {
    return (await this.pool.query<T>(text, values)).rows;
  }

  /** One statement as the persona, in its own committed transaction. */
  async as<T extends pg.QueryResultRow = any>(persona: string, text: string, values: unknown[] = []): Promise<T[]> {
    const c = await this.pool.connect();
    try {
      await c.query('begin');
      await c.query(`select set_config('role', $1, true)`, [this.role(persona)]);
      const res = await c.query<T>(text, values);
      await c.query('commit');
      return res.rows;
    } catch (e) {
      await c.query('rollback');
      throw e;
    } finally {
      c.release();
    }
  }

  /** Runs the statement as the persona and returns its error (failing the test if none). */
  async refused(persona: string, text: string, values: unknown[] = []): Promise<Refusal> {
    try {
      await this.as(persona, text, values);
    } catch (e) {
      const err = e as { code: string; message: string };
      return { code: err.code, message: err.message };
    }
    expect.fail(`${persona} was allowed: ${text}`);
  }

  async createBu(name: string, parent?: string): Promise<string> {
    const parentId = parent ? this.bu(parent) : null;
    const [row] = parentId
      ? await this.admin(`select rowscope.create_business_unit($1, $2) as id`, [`${this.tag} ${name}`, parentId])
      : await this.admin(`select coalesce(rowscope.root_business_unit(), rowscope.create_business_unit('Organization', null)) as id`);
    this.bus.set(name, row.id);
    return row.id;
  }

  async createUser(persona: string, bu: string, roles: string[] = [], accessMode = 'read_write'): Promise<string> {
    const [row] = await this.admin(`select rowscope.create_user($1, $2, null, $3) as id`, [this.role(persona), this.bu(bu), accessMode]);
    this.users.set(persona, row.id);
    for (const r of roles) await this.admin(`select rowscope.assign_role($1, $2)`, [row.id, r]);
    return row.id;
  }

  async createTeam(name: string, bu: string, type = 'owner'): Promise<string> {
    const [row] = await this.admin(`select rowscope.create_team($1, $2, $3) as id`, [`${this.tag} ${name}`, this.bu(bu), type]);
    this.users.set(name, row.id);
    return row.id;
  }

  /** Inserts a record as the deployment administrator, owned by a persona or team. */
  async record(table: string, name: string, owner: string, extra: Record<string, unknown> = {}): Promise<string> {
    const cols = ['name', 'owner_id', ...Object.keys(extra)];
    const vals = [name, this.id(owner), ...Object.values(extra)];
    const placeholders = vals.map((_, i) => `$${i + 1}`);
    const [row] = await this.admin(`insert into app.${q(table)} (${cols.map(q).join(', ')}) values (${placeholders.join(', ')}) returning id`, vals);
    return row.id;
  }

  async visible(persona: string, table: string): Promise<string[]> {
    const rows = await this.as<{ name: string }>(persona, `select name from api.${q(table)} order by name`);
    return rows.map((r) => r.name);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
