// The benchmark's statements (docs/performance.md). Each read comes as the persona's query
// through the api view and as its physical limit: the same query by the
// superuser (RLS does not apply) with the persona's access sets inlined,
// written two ways: one `owner_id = any($1) or owning_business_unit = any($2)
// or id = any($3)` predicate (no predicate for an organization-wide reader),
// and a UNION ALL of one branch per arm (each branch excludes the rows of the
// arms before it, so no row counts twice). The faster of the two is the limit.
import { arms, type AccessSet, type PersonaFacts } from './personas.ts';

export interface Statement {
  text: string;
  values: unknown[];
}

export interface ReadQuery {
  name: string;
  rls: Statement;
  limits: { or: Statement; union?: Statement };
}

export interface WriteQuery {
  name: 'insert' | 'update' | 'share' | 'assign' | 'delete';
  rls: Statement;
  limit: Statement;
}

/** A statement under construction: values get $n placeholders in order. */
class Builder {
  readonly values: unknown[] = [];
  param(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

interface Arm {
  sql: string;
}

function armPredicates(b: Builder, set: AccessSet, alias: string): Arm[] {
  return arms(set).map((a) => ({ sql: `${alias}.${a.column} = any (${b.param(a.values, 'uuid[]')})` }));
}

/** The OR of the arms; null: no predicate (org-wide); 'false' when nothing is reachable. */
function orPredicate(set: AccessSet, list: Arm[]): string | null {
  if (set.org) return null;
  if (list.length === 0) return 'false';
  return `(${list.map((a) => a.sql).join(' or ')})`;
}

/** Branch k of the per-arm union: arm k and none of the arms before it. */
function branchPredicates(list: Arm[]): string[] {
  return list.map((arm, k) => [arm.sql, ...list.slice(0, k).map((a) => `not (${a.sql})`)].join(' and '));
}

const where = (...parts: (string | null)[]) => {
  const present = parts.filter((p): p is string => p !== null);
  return present.length ? `where ${present.join(' and ')}` : '';
};

type Shape = (pred: string | null, b: Builder) => string;

/**
 * A one-table read (the account table, alias t): `shape` renders the full
 * query for a predicate; `branch` (optional) renders one UNION ALL branch and
 * `combine` the outer query over the branches.
 */
function oneTable(name: string, facts: PersonaFacts, rls: (b: Builder) => string, shape: Shape,
                  branch: Shape, combine: (branches: string[]) => string): ReadQuery {
  const rb = new Builder();
  const rlsText = rls(rb);
  const ob = new Builder();
  const orText = shape(orPredicate(facts.sets.account, armPredicates(ob, facts.sets.account, 't')), ob);
  const read: ReadQuery = { name, rls: { text: rlsText, values: rb.values }, limits: { or: { text: orText, values: ob.values } } };
  const ub = new Builder();
  const list = armPredicates(ub, facts.sets.account, 't');
  if (!facts.sets.account.org && list.length > 1) {
    const branches = branchPredicates(list).map((p) => branch(p, ub));
    read.limits.union = { text: combine(branches), values: ub.values };
  }
  return read;
}

export const PREFIX = 'abc';
const PAGE = 50;

export function readQueries(facts: PersonaFacts): ReadQuery[] {
  const page = oneTable('page', facts,
    () => `select * from api.account order by modified_on desc limit ${PAGE}`,
    (p) => `select * from app.account t ${where(p)} order by modified_on desc limit ${PAGE}`,
    (p) => `(select * from app.account t where ${p} order by modified_on desc limit ${PAGE})`,
    (bs) => `select * from (${bs.join(' union all ')}) u order by modified_on desc limit ${PAGE}`);
  const count = oneTable('count', facts,
    () => 'select count(*) from api.account',
    (p) => `select count(*) from app.account t ${where(p)}`,
    (p) => `select count(*) as n from app.account t where ${p}`,
    (bs) => `select sum(n)::bigint as count from (${bs.join(' union all ')}) u`);
  // the point id is one parameter; arm parameters come after it in the limits
  const pointRead = (): ReadQuery => {
    const rb = new Builder();
    const rls = `select * from api.account where id = ${rb.param(facts.pointId, 'uuid')}`;
    const ob = new Builder();
    const id = ob.param(facts.pointId, 'uuid');
    const or = `select * from app.account t ${where(`t.id = ${id}`, orPredicate(facts.sets.account, armPredicates(ob, facts.sets.account, 't')))}`;
    const read: ReadQuery = { name: 'point', rls: { text: rls, values: rb.values }, limits: { or: { text: or, values: ob.values } } };
    const ub = new Builder();
    const uid = ub.param(facts.pointId, 'uuid');
    const list = armPredicates(ub, facts.sets.account, 't');
    if (!facts.sets.account.org && list.length > 1) {
      read.limits.union = { text: branchPredicates(list).map((p) => `select * from app.account t where t.id = ${uid} and ${p}`).join(' union all '), values: ub.values };
    }
    return read;
  };
  const search = (name: string, op: (b: Builder) => string): ReadQuery => {
    const rb = new Builder();
    const rls = `select * from api.account t where ${op(rb)}`;
    const ob = new Builder();
    const cond = op(ob);
    const or = `select * from app.account t ${where(cond, orPredicate(facts.sets.account, armPredicates(ob, facts.sets.account, 't')))}`;
    const read: ReadQuery = { name, rls: { text: rls, values: rb.values }, limits: { or: { text: or, values: ob.values } } };
    const ub = new Builder();
    const ucond = op(ub);
    const list = armPredicates(ub, facts.sets.account, 't');
    if (!facts.sets.account.org && list.length > 1) {
      read.limits.union = { text: branchPredicates(list).map((p) => `select * from app.account t where ${ucond} and ${p}`).join(' union all '), values: ub.values };
    }
    return read;
  };
  const like = search('like', (b) => `t.name like ${b.param(`${PREFIX}%`, 'text')}`);
  const prefix = search('prefix', (b) => `t.name ^@ ${b.param(PREFIX, 'text')}`);
  const join = (): ReadQuery => {
    const cols = 'c.id, c.name, c.email, a.name as account_name';
    const order = `order by c.modified_on desc limit ${PAGE}`;
    const rls = `select ${cols} from api.contact c join api.account a on a.id = c.account_id ${order}`;
    const ob = new Builder();
    const pc = orPredicate(facts.sets.contact, armPredicates(ob, facts.sets.contact, 'c'));
    const pa = orPredicate(facts.sets.account, armPredicates(ob, facts.sets.account, 'a'));
    const or = `select ${cols} from app.contact c join app.account a on a.id = c.account_id ${where(pc, pa)} ${order}`;
    const read: ReadQuery = { name: 'join', rls: { text: rls, values: [] }, limits: { or: { text: or, values: ob.values } } };
    const ub = new Builder();
    const list = armPredicates(ub, facts.sets.contact, 'c');
    const upa = orPredicate(facts.sets.account, armPredicates(ub, facts.sets.account, 'a'));
    if (!facts.sets.contact.org && list.length > 1) {
      const branches = branchPredicates(list).map((p) =>
        `(select ${cols}, c.modified_on from app.contact c join app.account a on a.id = c.account_id ${where(p, upa)} ${order})`);
      read.limits.union = {
        text: `select id, name, email, account_name from (${branches.join(' union all ')}) u order by modified_on desc limit ${PAGE}`,
        values: ub.values,
      };
    }
    return read;
  };
  return [page, count, pointRead(), like, prefix, join()];
}

/**
 * Writes, each run in a transaction that is rolled back: the persona's vs the
 * superuser's (no RLS, no checks). `shareWith` is a user who already holds
 * shares (no class change): shares and assigns go to them.
 */
export function writeQueries(facts: PersonaFacts, shareWith: string): WriteQuery[] {
  if (!facts.ownId) return [];
  const name = 'bench write';
  return [
    {
      name: 'insert',
      rls: { text: 'insert into api.account (name, revenue) values ($1, 1)', values: [name] },
      limit: { text: 'insert into app.account (name, revenue, owner_id) values ($1, 1, $2)', values: [name, facts.id] },
    },
    {
      name: 'update',
      rls: { text: 'update api.account set revenue = revenue + 1 where id = $1', values: [facts.ownId] },
      limit: { text: 'update app.account set revenue = revenue + 1 where id = $1', values: [facts.ownId] },
    },
    {
      name: 'share',
      rls: { text: "select rowscope.grant_access('account', $1, $2, array['read'])", values: [facts.ownId, shareWith] },
      limit: { text: "select rowscope.grant_access('account', $1, $2, array['read'])", values: [facts.ownId, shareWith] },
    },
    {
      // rowscope.assign: the record and its contacts (cascade: assign all) go to the other user
      name: 'assign',
      rls: { text: "select rowscope.assign('account', $1, $2)", values: [facts.ownId, shareWith] },
      limit: { text: "select rowscope.assign('account', $1, $2)", values: [facts.ownId, shareWith] },
    },
    {
      // its contacts' lookups are removed (delete: remove_link)
      name: 'delete',
      rls: { text: 'delete from api.account where id = $1', values: [facts.ownId] },
      limit: { text: 'delete from app.account where id = $1', values: [facts.ownId] },
    },
  ];
}
