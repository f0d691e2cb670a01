import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// Cross-origin isolation, so that later work can use wasm threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'web',
  // Relative URLs: the built site works from any sub-path of any static server.
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
  build: {
    outDir: '../dist/site',
    emptyOutDir: true,
    target: 'es2022',
    // Keep wasm and data as separate, cacheable files; never inline them as base64.
    assetsInlineLimit: 0,
  },
});
