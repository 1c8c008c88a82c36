// The admin console's build (docs/console.md): Preact through Vite's own JSX
// transform (no Babel plugin), served by src/server/console.ts under /admin/.
// The output in web/dist is committed; test/unit/console-build.test.ts fails
// when it no longer matches a fresh build of web/src.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/admin/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One small bundle: nothing to gain from a separate vendor chunk at this size.
    modulePreload: false,
    reportCompressedSize: false,
  },
});
