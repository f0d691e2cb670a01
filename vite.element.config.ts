import { defineConfig, type Plugin } from 'vite';
import { elementBuild } from './vite.standalone.config.ts';

/**
 * Writes every file reference as `new URL('./file', import.meta.url)`, the
 * literal form a consumer's bundler recognises: it then bundles
 * `new Worker(new URL('./assets/worker-….js', import.meta.url))` as a worker,
 * with its chunks and wasm, and ships the data and models as assets. Vite
 * writes `new URL(new URL('assets/…', import.meta.url).href, '' + import.meta.url)`,
 * which makes the worker an opaque asset without its chunks, and `'x.wasm'`
 * without `./`, which a resolver reads as a package name.
 */
function literalFileUrls(): Plugin {
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
 * dist/element/: the npm build of `<ae-demo>` (package export `ae-demo/element`).
 * Lit stays a bare import, so a page that already uses Lit loads one copy; the
 * worker, wasm, data and models are separate files, as in the standalone build.
 */
const base = elementBuild('dist/element', /^(lit|lit-html|lit-element|@lit\/[^/]+)(\/.*)?$/);

export default defineConfig({
  ...base,
  plugins: [literalFileUrls()],
  worker: { ...base.worker, plugins: () => [literalFileUrls()] },
});
