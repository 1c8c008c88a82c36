// Where the demo's files are, relative to this package (not the current folder).
import { fileURLToPath } from 'node:url';

/** The committed migrations of the demo: the app tables, then the generated rowscope migration. */
export const DEMO_MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));
export const DEMO_MODEL_FILE = fileURLToPath(new URL('./contoso.yaml', import.meta.url));
export const DEMO_APP_SCHEMA_FILE = fileURLToPath(new URL('./app-schema.sql', import.meta.url));
