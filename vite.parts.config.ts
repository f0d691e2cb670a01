import { defineConfig } from 'vite';

/** The page the parts' browser tests mount a part on (tests/parts/), built into dist/parts. */
export default defineConfig({
  root: 'tests/parts',
  base: './',
  publicDir: false,
  logLevel: 'warn',
  build: { outDir: '../../dist/parts', emptyOutDir: true, target: 'es2022' },
});
