// rowscope schema --graphql: the GraphQL SDL that `rowscope serve` exposes,
// for code generators. Built exactly as the server builds it (src/server
// preset and catalog), from a live database, then printed with graphql's
// printSchema; nothing is served.
import { Command } from 'commander';
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import { withDatabase } from '../database.ts';
import { CliError } from '../errors.ts';
import { out, progress } from '../output.ts';
import { SERVER_MODULE } from './serve.ts';

type Catalog = unknown;
interface PresetModule { makePreset(opts: { pool: pg.Pool; catalog: Catalog; production: boolean; introspection: boolean }): unknown }
interface CatalogModule { readCatalog(pool: pg.Pool): Promise<Catalog> }

/** A module next to src/server/index.(ts|js), loaded only when needed (it loads PostGraphile). */
async function serverModule<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(SERVER_MODULE.replace(/index\.(ts|js)$/, `${name}.$1`)).href)) as T;
}

export async function graphqlSdl(url: string): Promise<string> {
  process.env.GRAPHILE_ENV ??= 'development';
  const [{ makePreset }, { readCatalog }, { makeSchema }, { printSchema }] = await Promise.all([
    serverModule<PresetModule>('preset'),
    serverModule<CatalogModule>('catalog'),
    import('postgraphile'),
    import('postgraphile/graphql'),
  ]);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on('error', () => {});
  try {
    const catalog = await readCatalog(pool);
    const { schema } = await makeSchema(makePreset({ pool, catalog, production: false, introspection: true }) as GraphileConfig.Preset);
    return printSchema(schema);
  } finally {
    await pool.end();
  }
}

export function schemaCommand(): Command {
  return new Command('schema')
    .description('print the GraphQL schema (SDL) that `rowscope serve` exposes, for code generators; needs the migrated database')
    .option('--graphql', 'the GraphQL SDL (the only format so far)')
    .addHelpText('after', '\nExample: rowscope schema --graphql > schema.graphql')
    .action(async (opts: { graphql?: boolean }) => {
      if (!opts.graphql) throw new CliError('say which schema: --graphql');
      await withDatabase(async (db) => {
        progress('building the GraphQL schema');
        out((await graphqlSdl(db.url)).trimEnd());
      });
    });
}
