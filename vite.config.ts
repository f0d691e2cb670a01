import { fileURLToPath } from 'node:url';
import type { ChunkingContext } from 'rolldown';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Cross-origin isolation, so that later work can use wasm threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const workerEntry = fileURLToPath(new URL('./src/worker/worker.ts', import.meta.url));

/**
 * Rolldown chunk name for the modules the worker's entry imports statically
 * (directly or not): `worker-api`; null for the entry itself and for what only
 * its dynamic imports reach (the TF.js half).
 */
function workerApiChunk(id: string, ctx: ChunkingContext): string | null {
  let reached = workerApiReach.get(ctx);
  if (!reached) {
    reached = new Set();
    const stack = [...(ctx.getModuleInfo(workerEntry)?.importedIds ?? [])];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      if (reached.has(next)) continue;
      reached.add(next);
      stack.push(...(ctx.getModuleInfo(next)?.importedIds ?? []));
    }
    workerApiReach.set(ctx, reached);
  }
  return reached.has(id) ? 'worker-api' : null;
}
const workerApiReach = new WeakMap<ChunkingContext, Set<string>>();

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
        // The worker's entry chunk must be imported by nothing: WebKit evaluates a
        // module worker's entry script again when another chunk imports from it,
        // so Comlink.expose ran twice and every call was handled twice. So all the
        // entry loads at once goes into a chunk of its own (`worker-api`), which
        // the lazy TF.js half imports instead; the entry keeps only worker.ts.
        codeSplitting: { groups: [{ name: workerApiChunk }] },
      },
    },
  },
  // The site is not built by Vite: it is web/'s page plus the standalone build
  // (vite.standalone.config.ts, which takes `worker` from here), put together by
  // scripts/build-site.mjs. `vite preview` (npm start) serves that folder.
  build: { outDir: '../dist/site' },
});
