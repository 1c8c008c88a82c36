// doctor's "roles a user role can act as" (src/cli/doctor/context.ts
// USER_REACH) is a closure over pg_auth_members, read once per query instead
// of pg_has_role per (object, user) pair (docs/operations.md "doctor on a
// large cluster"). PostgreSQL's own pg_has_role(user, role, 'MEMBER') is the
// reference: on random membership graphs (chains; grants that would close a
// cycle are refused by PostgreSQL; on 16+ grants without INHERIT or SET) the
// two name the same roles.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import pg from 'pg';
import { USER_REACH } from '../../../src/cli/doctor/context.ts';

const ROLES = 10;
const tag = `reach_${randomBytes(3).toString('hex')}`;
const role = (i: number) => `${tag}_${i}`;
let admin: pg.Client;
let modern: boolean;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject('adminUrl') });
  admin.on('error', () => {});
  await admin.connect();
  modern = (await admin.query<{ v: number }>("select current_setting('server_version_num')::int as v")).rows[0]!.v >= 160000;
  for (let i = 0; i < ROLES; i++) await admin.query(`create role ${role(i)} nologin`);
});

afterAll(async () => {
  for (let i = 0; i < ROLES; i++) await admin?.query(`drop role if exists ${role(i)}`);
  await admin?.end();
});

interface Edge { member: number; granted: number; inherit: boolean; set: boolean }

const edges = fc.array(fc.record({
  member: fc.integer({ min: 0, max: ROLES - 1 }),
  granted: fc.integer({ min: 0, max: ROLES - 1 }),
  inherit: fc.boolean(),
  set: fc.boolean(),
}), { maxLength: 16 });

const users = fc.uniqueArray(fc.integer({ min: 0, max: ROLES - 1 }), { minLength: 1, maxLength: 4 });

async function grant(e: Edge): Promise<void> {
  if (e.member === e.granted) return;
  const options = modern ? ` with inherit ${e.inherit}, set ${e.set}` : '';
  try {
    await admin.query(`grant ${role(e.granted)} to ${role(e.member)}${options}`);
  } catch (error) {
    // a grant that would close a cycle, or one already made, is refused; skip it
    if (!['0LP01', '42P17'].includes((error as { code?: string }).code ?? '')) throw error;
  }
}

it('names exactly the roles pg_has_role(user, role, MEMBER) says some user is a member of', async () => {
  await fc.assert(fc.asyncProperty(edges, users, async (graph, chosen) => {
    const all = [...Array(ROLES).keys()].map(role);
    const byIndex = new Map((await admin.query<{ rolname: string; oid: number }>(
      'select rolname, oid::int from pg_roles where rolname = any ($1)', [all])).rows.map((r) => [r.rolname, r.oid]));
    expect(byIndex.size).toBe(ROLES);
    // the previous run's graph away (revoking a membership that is not there only warns)
    for (const r of all) await admin.query(`revoke ${r} from ${all.join(', ')}`);
    for (const e of graph) await grant(e);
    const userOids = chosen.map((i) => byIndex.get(role(i))!);
    const ours = (await admin.query<{ oid: number }>(
      `select oid::int from ${USER_REACH} r (oid) where oid in (select oid from pg_roles where rolname like $2) order by 1`,
      [userOids, `${tag}\\_%`])).rows.map((r) => r.oid);
    const reference = (await admin.query<{ oid: number }>(
      `select r.oid::int from pg_roles r where r.rolname like $2
         and exists (select from unnest($1::oid[]) u(oid) where pg_has_role(u.oid, r.oid, 'MEMBER')) order by 1`,
      [userOids, `${tag}\\_%`])).rows.map((r) => r.oid);
    expect(ours).toEqual(reference);
  }), { numRuns: 40 });
});
