#!/usr/bin/env node
/**
 * Writes `ae-demo-sw.js` into a built folder: the service worker of
 * src/sw/ae-demo-sw.ts with the list of every file of that folder (and a
 * hash of their contents as the cache version), so a page that registers it
 * works offline after one visit.
 *
 *   node scripts/build-sw.mjs dist/site         # the demo site (web/main.ts registers it)
 *   node scripts/build-sw.mjs dist/standalone   # next to ae-demo.js, for authors (README)
 *
 * Run it after the folder is built: any later change to the folder needs a new run.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The service worker's file name, in the folder it lists. */
export const SW_FILE = 'ae-demo-sw.js';

const ENTRY = fileURLToPath(new URL('../src/sw/ae-demo-sw.ts', import.meta.url));

/** Vite puts content-hashed names here (the site's and the standalone build's `assetsDir`). */
const HASHED_DIR = /(^|\/)assets\//;

/** Every file under `dir` except the service worker and dotfiles, as sorted `/`-separated paths. */
export async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((path) => path !== SW_FILE && !path.split('/').some((part) => part.startsWith('.')))
    .sort();
}

/**
 * The precache list of `dir` (src/sw/precache.ts `Precache`): each file, whether
 * its name is content-hashed, and a version hashed from every path and content.
 */
export async function precacheManifest(dir) {
  const paths = await listFiles(dir);
  const version = createHash('sha256');
  let bytes = 0;
  for (const path of paths) {
    const body = await readFile(join(dir, path));
    bytes += body.length;
    version.update(`${path}\0${createHash('sha256').update(body).digest('hex')}\n`);
  }
  return {
    version: version.digest('hex').slice(0, 16),
    files: paths.map((path) => ({ path, immutable: HASHED_DIR.test(path) })),
    bytes,
  };
}

/** Bundles the service worker for `dir` and writes it there; returns what it wrote. */
export async function buildServiceWorker(dir) {
  const { version, files, bytes } = await precacheManifest(dir);
  if (files.length === 0) throw new Error(`build-sw: ${dir} has no files; build it first.`);
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    publicDir: false,
    define: { __AE_DEMO_PRECACHE__: JSON.stringify({ version, files }) },
    build: {
      write: false,
      target: 'es2022',
      minify: false,
      lib: { entry: ENTRY, formats: ['iife'], name: 'aeDemoServiceWorker' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]).flatMap((r) => r.output);
  const chunk = outputs.find((o) => o.type === 'chunk');
  if (!chunk || outputs.length !== 1) throw new Error('build-sw: expected one chunk.');
  const file = join(dir, SW_FILE);
  await writeFile(file, chunk.code);
  return { file, version, files, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir || process.argv.length > 3) {
    console.error('usage: node scripts/build-sw.mjs <built folder>   (e.g. dist/site)');
    process.exit(2);
  }
  try {
    const { file, version, files, bytes } = await buildServiceWorker(resolve(dir));
    const mb = (bytes / 1e6).toFixed(1);
    console.log(
      `build-sw: ${relative(process.cwd(), file)} precaches ${files.length} files (${mb} MB), version ${version}.`,
    );
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
