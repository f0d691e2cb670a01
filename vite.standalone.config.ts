import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import site from './vite.config.ts';

const entry = fileURLToPath(new URL('src/components/ae-demo/ae-demo.ts', import.meta.url));

/**
 * Writes every file reference as `new URL('./file', import.meta.url)`, the
 * literal form a consumer's bundler recognises: it then bundles
 * `new Worker(new URL('./assets/worker-….js', import.meta.url))` as a worker,
 * with its chunks and wasm, and ships the data and models as assets. Vite
 * writes `new URL(new URL('assets/…', import.meta.url).href, '' + import.meta.url)`,
 * which makes the worker an opaque asset without its chunks, and `'x.wasm'`
 * without `./`, which a resolver reads as a package name.
 */
export function literalFileUrls(): Plugin {
  const quoted = String.raw`(["'\`])([\w./-]+)\1`;
  const nested = new RegExp(
    String.raw`new URL\(new URL\(${quoted},\s*import\.meta\.url\)\.href,\s*(["'\`])\3\s*\+\s*import\.meta\.url\)`,
    'g',
  );
  const plain = new RegExp(String.raw`new URL\(${quoted},\s*import\.meta\.url\)`, 'g');
  const dotted = (path: string) => (path.startsWith('.') ? path : `./${path}`);
  return {
    name: 'ae-demo-literal-file-urls',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunk.code = chunk.code
          .replace(
            nested,
            (_m, q: string, path: string) => `new URL(${q}${path}${q},import.meta.url)`,
          )
          .replace(
            plain,
            (_m, q: string, path: string) => `new URL(${q}${dotted(path)}${q},import.meta.url)`,
          );
      }
    },
  };
}

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
    // Both builds write the same literal URLs, so their worker chunks come out byte for
    // byte the same and the package ships them once (vite.element.config.ts).
    plugins: [literalFileUrls()],
    // Same worker build as the site (ES chunks; minified without compression for TF.js threads).
    worker: { ...site.worker, plugins: () => [literalFileUrls()] },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      assetsInlineLimit: 0,
      // No source maps: the bundles' sources (TF.js's among them) are not in the package,
      // and maps with them inlined would be larger than the code. dist/lib ships its maps
      // with their sources (tsconfig.build.json `inlineSources`).
      sourcemap: false,
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
          // V8's explicit compile hint (https://v8.dev/blog/explicit-compile-hints): the charts
          // chunk's functions compile with the module instead of lazily on first call, where
          // uPlot's first chart spent 28-42 ms of the main thread's CPU at 4x throttling here
          // (12-20 ms with the hint). Added after minification, which drops comments.
          postBanner: (chunk) => (chunk.name === 'charts' ? '//# allFunctionsCalledOnLoad' : ''),
        },
      },
    },
  };
}

/** dist/standalone/: Lit bundled in, for pages without a bundler. */
export default defineConfig(elementBuild('dist/standalone'));
