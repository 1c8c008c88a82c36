// Shared setup of the foundation tests: a database secured by
// test/fixtures/models/foundation.yaml and the BU tree every file uses:
//
//   root ─┬─ sales ── emea
//         └─ service
import { expect } from 'vitest';
import type { TestDatabase } from '../../support/database.ts';
import { Org, type Refusal } from '../../support/org.ts';
import { securedDatabase } from '../../support/secured.ts';

export interface Foundation {
  db: TestDatabase;
  org: Org;
}

export async function foundation(): Promise<Foundation> {
  const db = await securedDatabase('foundation');
  const org = new Org(db.url);
  await org.createBu('root');
  await org.createBu('sales', 'root');
  await org.createBu('emea', 'sales');
  await org.createBu('service', 'root');
  return { db, org };
}

export async function close(f: Foundation | undefined): Promise<void> {
  await f?.org.close();
  await f?.db.drop();
}

/** docs/reference.md: 42501 naming the user, the right, the table and (when given) the record. */
export function expectRefusal(r: Refusal, org: Org, persona: string, right: string, table: string, record?: string): void {
  expect(r.code).toBe('42501');
  expect(r.message).toContain(org.role(persona));
  expect(r.message).toContain(` ${right} `);
  expect(r.message).toContain(table);
  if (record) expect(r.message).toContain(record);
}

/**
 * A user who may not update / delete anything of the table holds no table-level
 * UPDATE / DELETE there (sql/600_ddl_table_roles.sql _bind_table_roles: else it could LOCK the
 * table or SELECT ... FOR UPDATE), so PostgreSQL refuses the statement before
 * the row guard could name what is missing, whether or not it reaches a row.
 */
export function expectTablePrivilegeRefusal(r: Refusal, table: string): void {
  expect(r.code).toBe('42501');
  expect(r.message).toBe(`permission denied for table ${table}`);
}

/** docs/reference.md: 22023 naming the argument. */
export function expectBadArgument(r: Refusal, argument: string): void {
  expect(r.code).toBe('22023');
  expect(r.message).toContain(argument);
}

/** The error of a statement run as the deployment administrator (failing the test if none). */
export async function adminError(org: Org, text: string, values: unknown[] = []): Promise<Refusal> {
  try {
    await org.admin(text, values);
  } catch (e) {
    const err = e as { code: string; message: string };
    return { code: err.code, message: err.message };
  }
  expect.fail(`the deployment administrator was allowed: ${text}`);
}

/** One account row as the superuser sees it (RLS is forced, but the superuser bypasses it). */
export async function accountRow(org: Org, id: string): Promise<Record<string, any> | undefined> {
  const [row] = await org.admin('select * from app.account where id = $1', [id]);
  return row;
}
