// One statement sent together with the role it runs as, in one message batch
// and one implicit transaction (src/server/transaction-client.ts; docs/graphql.md,
// "Authentication"). On the wire, before a single Sync:
//
//   [Close/Parse]/Bind/Execute  select set_config('role', $1, true)[, set_config('effective_cache_size', $2, true)]
//   Parse/Bind/Describe/Execute  the statement (prepared under its name as pg does it)
//   Sync
//
// PostgreSQL runs everything up to a Sync in one transaction (the extended
// query protocol's implicit transaction), so `set_config(…, true)` holds for
// the statement and ends with it at the Sync: nothing of the user's survives
// into the connection's next transaction, as PgBouncer's transaction pooling
// needs. If the role cannot be taken (42501: no longer granted to the login),
// PostgreSQL skips the rest up to the Sync: the statement never runs.
//
// pg (node-postgres) sends one statement per Query; this subclass writes the
// setup's messages ahead of the statement's and hides the setup's answers
// (its row and its CommandComplete) from the result. One pg internal is
// involved: the client records a named statement as prepared on every
// ParseComplete while the query is active, so during the setup `name` reads
// as undefined (the setup's ParseComplete must not count as the statement's),
// and if the setup fails, the statement's "submitted" mark is cleared here,
// as the client does for a failed statement. Kept in step with pg 8.23's
// lib/query.js and lib/client.js (package.json allows 8.23.x only, for this);
// test/e2e/graphql-role-query.test.ts drives every path on a real server. Were
// an internal to change, the failure is a refusal, never a leak: without the
// setup the statement runs as rowscope_authenticator, which holds no right on
// any data (docs/threat-model.md).
import pg from 'pg';

export interface RoleSetup {
  /** the statement that takes the role, `$1`, and the planner setting, `$2` if any */
  text: string;
  values: string[];
  /** its prepared statement's name (one per text), used when the statement it comes with is prepared too */
  name: string;
}

/** The setup for acting as `dbRole` (with the login's planner setting, if any) until the transaction ends. */
export function roleSetup(dbRole: string, effectiveCacheSize: string | null): RoleSetup {
  // set_config('role', 'none') would mean the login itself; PostgreSQL
  // reserves that name, so no user has it, but never rely on it.
  if (dbRole.toLowerCase() === 'none' || dbRole === '') throw new Error(`rowscope: ${JSON.stringify(dbRole)} is no user role`);
  return effectiveCacheSize === null
    ? { text: "select set_config('role', $1, true)", values: [dbRole], name: 'rowscope_role' }
    : { text: "select set_config('role', $1, true), set_config('effective_cache_size', $2, true)", values: [dbRole, effectiveCacheSize], name: 'rowscope_role_setting' };
}

/** What pg's Query does with the messages, as far as this class needs it (pg's types leave it out). */
interface Wire {
  stream: { cork(): void; uncork(): void; destroy(): void };
  parsedStatements: Record<string, string>;
  submittedNamedStatements: Record<string, string>;
  parse(m: { text: string; name: string; types: unknown[] }): void;
  close(m: { type: 'S'; name: string }): void;
  bind(m: { portal: string; statement: string; values: unknown[]; binary: boolean }): void;
  execute(m: { portal: string; rows: number }): void;
}

interface QueryInternals {
  text: string;
  values?: unknown[];
  submit(connection: Wire): Error | null;
  handleDataRow(msg: unknown): void;
  handleCommandComplete(msg: unknown, connection: Wire): void;
  handleError(error: unknown, connection: Wire): void;
}

const Query = pg.Query as unknown as new (config: pg.QueryConfig & { queryMode?: 'extended'; callback?: (error: Error | null, result: pg.QueryResult) => void }) => QueryInternals;

type Phase = 'query' | 'setup';

export class RoleQuery extends Query {
  // `declare`d: pg's constructor assigns `name` through the accessors below
  // before any field of this class could be initialised.
  declare private roleSetup: RoleSetup;
  declare private statementName: string | undefined;
  declare private phase: Phase | undefined;

  constructor(setup: RoleSetup, config: pg.QueryConfig, callback: (error: Error | null, result: pg.QueryResult) => void) {
    // Always the extended protocol: a simple Query message cannot share the Sync.
    super({ ...config, queryMode: 'extended', callback });
    this.roleSetup = setup;
  }

  get name(): string | undefined {
    return this.phase === 'setup' ? undefined : this.statementName;
  }

  set name(value: string | undefined) {
    this.statementName = value;
  }

  override submit(connection: Wire): Error | null {
    // pg's own refusals, checked before anything is written (pg checks them in
    // submit, after which the setup would be on the wire without its Sync).
    const refusal = this.refusal(connection);
    if (refusal) return refusal;
    const setup = this.setupName();
    connection.stream.cork();
    try {
      if (setup === '' || connection.parsedStatements[setup] !== this.roleSetup.text) {
        // A setup whose Parse went through but whose role was refused is
        // prepared without being recorded: closed first (closing a statement
        // that does not exist is no error).
        if (setup !== '') connection.close({ type: 'S', name: setup });
        connection.parse({ text: this.roleSetup.text, name: setup, types: [] });
      }
      connection.bind({ portal: '', statement: setup, values: this.roleSetup.values, binary: false });
      connection.execute({ portal: '', rows: 0 });
      const error = super.submit(connection);
      // Not expected (refusal() mirrors pg's checks); the setup went out with
      // no Sync, so the connection's state is unknown: it is closed.
      if (error) {
        connection.stream.destroy();
        return error;
      }
    } finally {
      connection.stream.uncork();
    }
    this.phase = 'setup';
    return null;
  }

  override handleDataRow(msg: unknown): void {
    if (this.phase !== 'setup') super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: Wire): void {
    if (this.phase === 'setup') {
      this.phase = 'query';
      // The setup ran, so it is prepared: from now on Bind and Execute only.
      const setup = this.setupName();
      if (setup !== '') connection.parsedStatements[setup] = this.roleSetup.text;
      return;
    }
    super.handleCommandComplete(msg, connection);
  }

  override handleError(error: unknown, connection: Wire): void {
    if (this.phase === 'setup') {
      // The statement's Parse was skipped: it must be sent again next time.
      this.phase = 'query';
      if (this.statementName) delete connection.submittedNamedStatements[this.statementName];
    }
    super.handleError(error, connection);
  }

  /**
   * The setup is prepared when the statement is (PostGraphile names the
   * statements it prepares; DATAPLAN_PG_PREPARED_STATEMENT_CACHE_SIZE=0 turns
   * that off, e.g. for a PgBouncer without prepared-statement support), and
   * unnamed otherwise.
   */
  private setupName(): string {
    return this.statementName ? this.roleSetup.name : '';
  }

  private refusal(connection: Wire): Error | null {
    if (typeof this.text !== 'string') return new Error('rowscope: a statement needs its text');
    const name = this.statementName;
    const previous = name === undefined ? undefined : connection.parsedStatements[name] ?? connection.submittedNamedStatements[name];
    if (previous !== undefined && previous !== this.text) return new Error(`Prepared statements must be unique - '${name}' was used for a different statement`);
    if (this.values !== undefined && !Array.isArray(this.values)) return new Error('Query values must be an array');
    return null;
  }
}

/** Runs `config` on `client` as the setup's role, in one round trip. */
export function queryAs(client: pg.ClientBase, setup: RoleSetup, config: pg.QueryConfig): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const query = new RoleQuery(setup, config, (error, result) => (error ? reject(error) : resolve(result)));
    client.query(query as unknown as pg.Submittable);
  });
}
