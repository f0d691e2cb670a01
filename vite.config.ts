import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Cross-origin isolation, so that later work can use wasm threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * `vite dev` only: the page loads the element from ./ae-demo/ae-demo.js, the
 * standalone folder that scripts/build-site.mjs copies in for the built site;
 * here that URL is the element's source, and the page is marked so that it
 * registers no service worker (web/register-sw.js).
 */
const devElement: Plugin = {
  name: 'ae-demo:dev-element',
  apply: 'serve',
  resolveId(id) {
    if (id === '/ae-demo/ae-demo.js') {
      return fileURLToPath(new URL('./src/components/ae-demo/ae-demo.ts', import.meta.url));
    }
  },
  transformIndexHtml: () => [{ tag: 'meta', attrs: { name: 'ae-demo-dev' }, injectTo: 'head' }],
};

export default defineConfig({
  plugins: [devElement],
  root: 'web',
  base: './',
  publicDir: false,
  server: { headers: isolation, fs: { allow: [root] } },
  preview: { headers: isolation, port: 4173, strictPort: true },
  worker: {
    format: 'es',
    rolldownOptions: {
      output: {
        // TF.js starts its wasm threads from the text of its emscripten factory
        // (Function.prototype.toString, run alone in a blob: worker). Compression
        // drops the factory's `typeof _scriptDir !== 'undefined'` guard, so every
        // thread throws "e is not defined" and the backend never starts; renaming
        // alone keeps the guard.
        minify: { compress: false, mangle: true },
      },
    },
  },
  // The site is not built by Vite: it is web/'s page plus the standalone build
  // (vite.standalone.config.ts, which takes `worker` from here), put together by
  // scripts/build-site.mjs. `vite preview` (npm start) serves that folder.
  build: { outDir: '../dist/site' },
});
