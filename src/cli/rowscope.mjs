#!/usr/bin/env node
// The `rowscope` command run from the sources (`npm start`, the tests): tsx
// compiles the TypeScript on the fly. The published package runs the compiled
// build through bin/rowscope.mjs instead. Everything is resolved relative to
// this file, so the command works from any directory.
import { requireNode22 } from '../../bin/node-version.mjs';

requireNode22();
const { register } = await import('tsx/esm/api');
register();
await import(new URL('./main.ts', import.meta.url).href);
