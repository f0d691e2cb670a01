import { defineConfig } from 'vite';

/** The page the parts' browser tests mount a part on (tests/parts/), built into dist/parts. */
export default defineConfig({
  root: 'tests/parts',
  base: './',
  publicDir: false,
  logLevel: 'warn',
  // Files stay files (not data: URLs), so a test can fail a part's fetch by route.
  build: { outDir: '../../dist/parts', emptyOutDir: true, target: 'es2022', assetsInlineLimit: 0 },
});
