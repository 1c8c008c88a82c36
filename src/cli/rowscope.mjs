#!/usr/bin/env node
// The `rowscope` command (package.json "bin"). rowscope is written in
// TypeScript and ships as source: tsx compiles it on the fly, so there is no
// build step. Everything is resolved relative to this file, so the command works
// from any directory and from an npm install.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./main.ts', import.meta.url).href);
