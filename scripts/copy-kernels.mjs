// Copies the compiled PCA kernels next to the compiled library (dist/lib), where
// src/core/wasm/kernels.ts looks for them: new URL('./generated/…', import.meta.url).
import { cpSync, existsSync } from 'node:fs';

const from = new URL('../src/core/wasm/generated/', import.meta.url);
const to = new URL('../dist/lib/core/wasm/generated/', import.meta.url);
if (!existsSync(from)) {
  console.error(
    'copy-kernels: src/core/wasm/generated/ is missing; run `npm run build:kernels` first.',
  );
  process.exit(1);
}
cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.map') });
console.log('copy-kernels: copied the .wasm kernels to dist/lib/core/wasm/generated/');
