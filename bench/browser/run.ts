/**
 * Training benchmark in Chromium (`npm run bench:train-browser`): builds the bench page
 * (bench/browser/) with Vite into .tmp/bench-site, serves it twice with Vite's preview,
 * cross-origin isolated on port 4174 (COOP/COEP: SharedArrayBuffer, so the threaded wasm
 * build) and not isolated on 4175 (single-thread SIMD), and trains the notebook AE and VAE in
 * a worker through the real `train()` loop on the bundled MNIST training images, with the
 * transposed-matmul fix off (as shipped) and on: isolated with tfjs's default thread count,
 * isolated with 2 threads forced, and not isolated, each in a fresh browser context. Needs build/data (npm run build:data) and
 * Chromium (/usr/bin/chromium, or AE_DEMO_BROWSER).
 *
 *   node --import tsx bench/browser/run.ts [--quick] [--json] [--images N] [--rounds N] [--cpu]
 *     [--keep-site]
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import type { BenchResult } from './main.ts';
import { type Variant, formatTable, parseBenchArgs, targetCheck } from './measure.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tests/chromium.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../../.tmp/bench-site', import.meta.url));
const dataFile = fileURLToPath(
  new URL('../../build/data/train12k-images-idx3-ubyte.gz', import.meta.url),
);

const variants: Variant[] = process.argv.includes('--cpu')
  ? ['shipped', 'fixed', 'cpu']
  : ['shipped', 'fixed'];
const { plan, json } = parseBenchArgs(process.argv, variants);
const keepSite = process.argv.includes('--keep-site');
const log = (line = '') => {
  if (!json) console.log(line);
};

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
/** The two servers: cross-origin isolated, and not. */
const SERVERS = [
  { port: 4174, headers: ISOLATION },
  { port: 4175, headers: {} },
];
/**
 * The runs: isolated with tfjs's own thread count (half the logical cores, so 1 on a 2-core
 * machine), isolated with 2 threads forced (see forceThreads in worker.ts), not isolated.
 */
const RUNS: { name: string; port: number; threads?: number }[] = [
  { name: 'isolated, default threads', port: 4174 },
  { name: 'isolated, 2 threads forced', port: 4174, threads: 2 },
  { name: 'not isolated', port: 4175 },
];

if (!existsSync(dataFile)) {
  throw new Error(`${dataFile} is missing; run \`npm run build:data\` first.`);
}

log('Building the bench page with Vite…');
await build({
  configFile: false,
  root,
  base: './',
  publicDir: false,
  logLevel: 'warn',
  worker: { format: 'es' },
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    // Minified, tfjs-backend-wasm's threaded build cannot start: it runs its Emscripten factory
    // in pthread workers from `factory.toString()`, and the minifier turned the factory's
    // `typeof _scriptDir !== 'undefined' && _scriptDir` into `e !== void 0 && e`, a free
    // variable there ("ReferenceError: e is not defined" in blob: workers; init never ends).
    minify: false,
    // Keep the three .wasm binaries and the data as files, as the site ships them.
    assetsInlineLimit: 0,
    // The page's imports reach into src/ and build/data; tfjs alone is over the default limit.
    chunkSizeWarningLimit: 4096,
  },
  server: { fs: { allow: [repo] } },
});

const servers: PreviewServer[] = [];
let browser: Browser | undefined;
const results: { site: string; url: string; browser: string; result: BenchResult }[] = [];
try {
  for (const { port, headers } of SERVERS) {
    servers.push(
      await preview({
        configFile: false,
        root,
        logLevel: 'warn',
        build: { outDir },
        preview: { host: '127.0.0.1', port, strictPort: true, headers },
      }),
    );
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS],
  });
  for (const site of RUNS) {
    const url = `http://127.0.0.1:${site.port}/`;
    log(`\n${site.name}: ${url}`);
    // A fresh context per site: its own worker, wasm memory and thread pool.
    const context = await browser.newContext();
    const page = await context.newPage();
    page.on('console', (message) => log(message.text()));
    page.on('response', (response) => {
      if (response.status() >= 400) log(`HTTP ${response.status()} for ${response.url()}`);
    });
    // A worker that fails (e.g. a wasm thread) leaves the run waiting forever: stop on the first error.
    const failed = new Promise<never>((_, reject) => {
      page.on('pageerror', (error) => reject(new Error(`${site.name}: ${error.message}`)));
    });
    await page.goto(url);
    await page.waitForFunction(() => 'aeBench' in globalThis);
    const result = await Promise.race([
      failed,
      page.evaluate(
        ([p, threads]) =>
          (
            globalThis as unknown as {
              aeBench: { run: (p: unknown, threads?: number) => BenchResult };
            }
          ).aeBench.run(p, threads),
        [plan, site.threads] as const,
      ),
    ]);
    results.push({ site: site.name, url, browser: browser.version(), result });
    await context.close();
  }
} finally {
  await browser?.close();
  for (const server of servers) await server.close();
  // Built JavaScript outside dist/ would be linted by `eslint .`; keep it only when asked.
  if (!keepSite) await rm(outDir, { recursive: true, force: true });
}

if (json) {
  console.log(JSON.stringify({ plan, results }, null, 2));
} else {
  log(
    `\nTraining throughput in Chromium ${results[0]?.browser ?? ''}: the real train() loop in a ` +
      `worker, one epoch per timed run on the first ${plan.images.toLocaleString('en-US')} ` +
      `bundled MNIST training images, ${plan.rounds} round(s), ${plan.warmupBatches} warm-up ` +
      'batches excluded.',
  );
  for (const { site, url, result } of results) {
    const e = result.env;
    log(
      `\n${site} (${url}): crossOriginIsolated ${e.crossOriginIsolated}, SharedArrayBuffer ` +
        `${e.sharedArrayBuffer}, simd ${e.simd}, threaded build ${e.threads}, XNNPACK threads ` +
        `${e.threadsCount} (asked ${e.threadsRequested ?? 'default'}), hardwareConcurrency ` +
        `${e.hardwareConcurrency}`,
    );
    for (const line of formatTable(result.measurements)) log(line);
    const target = targetCheck(result.measurements);
    if (target) log(`${target.line} (${site})`);
  }
  const base = results.find((r) => r.site === 'not isolated');
  const fixed = (r: (typeof results)[number], kind: string) =>
    r.result.measurements.find((m) => m.kind === kind && m.variant === 'fixed')!.samplesPerSecond;
  if (base) {
    log('\nwasm fixed, over not isolated:');
    for (const r of results) {
      if (r === base) continue;
      log(
        `  ${r.site}: AE ${(fixed(r, 'ae') / fixed(base, 'ae')).toFixed(2)}×, ` +
          `VAE ${(fixed(r, 'vae') / fixed(base, 'vae')).toFixed(2)}×`,
      );
    }
  }
}
