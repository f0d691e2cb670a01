#!/usr/bin/env node
// Writes `file.br` (brotli, quality 11) and `file.gz` (gzip, level 9) beside
// every compressible file of a built folder, for hosts that send a
// precompressed copy instead of compressing on each request (nginx
// `gzip_static` / `brotli_static`, Caddy `file_server { precompressed br gzip }`,
// sirv `--brotli --gzip`). A copy is written only when it saves at least 5 %:
// the gzip idx data and other compressed files are left alone.
//
//   node scripts/precompress.mjs DIR...
import { access, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** The files a host would compress: text, JSON, wasm and the raw weights. */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.svg',
  '.wasm',
  '.bin',
  '.txt',
  '.map',
]);
const MIN_BYTES = 1024;
const MIN_SAVING = 0.05;

const brotli = promisify(brotliCompress);
/** Whether `path` exists: a `.gz` beside its source is an earlier copy, one without is data. */
const exists = (path) =>
  access(path).then(
    () => true,
    () => false,
  );
const gz = promisify(gzip);

async function precompress(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let written = 0;
  let before = 0;
  let after = 0;
  for (const e of entries) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    // A rebuild into the same folder: forget earlier copies first.
    if (e.name.endsWith('.br') || (e.name.endsWith('.gz') && (await exists(path.slice(0, -3))))) {
      await rm(path);
      continue;
    }
    if (!COMPRESSIBLE.has(extname(e.name))) continue;
    const body = await readFile(path);
    if (body.byteLength < MIN_BYTES) continue;
    const [br, gzipped] = await Promise.all([
      brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
        },
      }),
      gz(body, { level: 9 }),
    ]);
    for (const [suffix, copy] of [
      ['.br', br],
      ['.gz', gzipped],
    ]) {
      if (copy.byteLength <= body.byteLength * (1 - MIN_SAVING)) {
        await writeFile(path + suffix, copy);
        written++;
      }
    }
    before += body.byteLength;
    after += Math.min(br.byteLength, body.byteLength);
  }
  const mb = (n) => (n / 1e6).toFixed(2);
  console.log(
    `precompress: ${dir}: ${written} copies; ${mb(before)} MB of compressible files, ${mb(after)} MB as brotli`,
  );
}

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node scripts/precompress.mjs DIR...');
  process.exit(2);
}
for (const dir of dirs) await precompress(dir);
