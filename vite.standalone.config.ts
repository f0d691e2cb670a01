import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';
import site from './vite.config.ts';

const entry = fileURLToPath(new URL('src/components/ae-demo/ae-demo.ts', import.meta.url));

/**
 * A build of the `<ae-demo>` define file into `outDir`: `ae-demo.js` plus its
 * worker, wasm, data and shipped models as separate files found through
 * `import.meta.url`. An app build with a JS input rather than library mode,
 * which inlines every asset as base64 whatever assetsInlineLimit says (vite#4454).
 * Modules matching `external` stay bare imports.
 */
export function elementBuild(outDir: string, external?: RegExp): UserConfig {
  return {
    // Relative URLs, resolved against the script: the folder works under any sub-path.
    base: './',
    publicDir: false,
    // Same worker build as the site (ES chunks; minified without compression for TF.js threads).
    worker: site.worker,
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      assetsInlineLimit: 0,
      // The page is the author's: no <link rel=modulepreload> to inject.
      modulePreload: false,
      rolldownOptions: {
        input: entry,
        external,
        // Keep the define file's side effect (customElements.define) and its exports.
        preserveEntrySignatures: 'exports-only',
        output: {
          entryFileNames: 'ae-demo.js',
          chunkFileNames: 'assets/[name]-[hash].js',
          assetFileNames: 'assets/[name]-[hash][extname]',
        },
      },
    },
  };
}

/** dist/standalone/: Lit bundled in, for pages without a bundler. */
export default defineConfig(elementBuild('dist/standalone'));
