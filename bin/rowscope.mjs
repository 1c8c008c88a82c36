#!/usr/bin/env node
// The `rowscope` command of the published package (package.json "bin"): the
// compiled CLI in dist/ (built by `npm run build`), after the Node version check.
import { requireNode22 } from './node-version.mjs';

requireNode22();
await import('../dist/cli/main.js');
