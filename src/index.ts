// The library entry (`import { ... } from 'rowscope'`, package.json "exports").
// The CLI (bin/rowscope.mjs) is the main way in; this is for applications and
// build scripts: the typed model, running work as a user on a pool, and the
// compiler that `rowscope generate` is made of. The GraphQL server is a
// separate entry point, 'rowscope/server', so importing this one does not load
// PostGraphile.

// The model: `export default defineModel({...})` in rowscope.config.ts.
export { defineModel, loadModel, parseModel, modelHash, ModelError, formatProblem, DEFAULT_MODEL_FILES } from './model/index.ts';
export type { ModelInput, ModelFileProblem, ModelProblem } from './model/index.ts';
export * from './model/types.ts';

// Applications on a pool.
export { withUser, WithUserError } from './lib/with-user.ts';

// The compiler: model -> SQL, and the migration files of `rowscope generate`.
export { compileSetup, compileTeardown, compileChange, catalogOf, classesOf } from './compile/index.ts';
export { generate, migrationSql, latestRowscopeMigration, type GenerateResult } from './emit/generate.ts';
export { coreSql, coreHash } from './emit/core.ts';
export { readHeader, renderMigration, type MigrationHeader } from './emit/migration-file.ts';
export { statements, type Sql } from './sql/index.ts';

// Migrations, as `rowscope migrate` runs them.
export { runMigrations, MigrationError, type MigrateOptions } from './db/migrate.ts';
