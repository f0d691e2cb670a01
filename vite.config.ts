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
  worker: { format: 'es' },
  build: {
    outDir: '../dist/site',
    emptyOutDir: true,
    target: 'es2022',
    // Keep wasm and data as separate, cacheable files; never inline them as base64.
    assetsInlineLimit: 0,
  },
});
