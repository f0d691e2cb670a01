import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { expectFiguresAndShippedModel, expectVaeSamples, trainOneEpoch } from './demo-checks.ts';
import { collectErrors, nextFrames } from './helpers.ts';
import config from '../../playwright.config.ts';

// The built site, or another build of it (playwright.config.ts).
const SITE = join(
  process.env.AE_DEMO_SITE_DIR ?? fileURLToPath(new URL('../../dist/site/', import.meta.url)),
  '/',
);
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
  '.bin': 'application/octet-stream',
};

/**
 * Serves the built site (npm run build) on a free port with exactly `headers` on
 * every response, the page's and the worker script's alike. Returns the site's URL.
 */
async function serveSite(headers: Record<string, string>): Promise<{
  url: string;
  close: () => Promise<void>;
}> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const file = normalize(join(SITE, path === '/' ? 'index.html' : decodeURIComponent(path)));
    if (!file.startsWith(SITE)) {
      response.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => {
        const type = TYPES[extname(file)] ?? 'application/octet-stream';
        response.writeHead(200, { ...headers, 'Content-Type': type }).end(body);
      },
      () => response.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Makes the page report `cores` logical cores, the way DevTools' sensor panel
 * does: CDP's override reaches the page only, and the bridge sends the page's
 * count to the worker (threads.ts setPageCores), so threads are decided on it.
 * TF.js's pool inside the worker still sizes on the machine's real count.
 */
async function emulateCores(page: Page, cores: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setHardwareConcurrencyOverride', { hardwareConcurrency: cores });
}

test.describe('without WebAssembly SIMD', () => {
  test('PCA runs on the scalar kernels and TF.js on its plain wasm build', async ({
    playwright,
    baseURL,
  }) => {
    // V8 has no switch for wasm SIMD alone, but it needs SSE4.1: without it
    // WebAssembly.validate rejects v128 code, in the page and in workers alike.
    // A browser of its own, since launch options cannot change within a file.
    const launchOptions = config.use!.launchOptions!;
    const browser = await playwright.chromium.launch({
      ...launchOptions,
      args: [...(launchOptions.args ?? []), '--js-flags=--no-enable-sse4-1'],
    });
    try {
      const page = await browser.newPage({ baseURL, serviceWorkers: 'block' });
      const errors = collectErrors(page);
      await page.addInitScript(() =>
        addEventListener('ae-ready', (e) => {
          (window as unknown as { __ready: unknown }).__ready = (e as CustomEvent).detail;
        }),
      );
      await page.goto('./');
      // The flag took: the SIMD probe of the kernels (kernels.ts) fails in the page too.
      expect(
        await page.evaluate(() =>
          WebAssembly.validate(
            new Uint8Array([
              0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65,
              0, 253, 15, 253, 98, 11,
            ]),
          ),
        ),
      ).toBe(false);
      const demo = page.locator('ae-demo');

      await expectFiguresAndShippedModel(demo);
      const ready = await page.evaluate(
        () => (window as unknown as { __ready: { kernel: unknown } }).__ready,
      );
      expect(ready.kernel).toEqual({ simd: false, threads: false });
      await expect(demo.locator('[part=status]')).toContainText(
        /PCA of 10,000 digits in [0-9.]+ s \(WebAssembly \(no SIMD\), in a worker\)\./,
      );
      await expect(demo.locator('[data-backend]')).toHaveText(
        /^TF\.js wasm, SIMD off, threads (on|off) \(in a worker\)\.$/,
      );
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

test.describe('without SharedArrayBuffer (no COOP/COEP)', () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  test.beforeAll(async () => {
    site = await serveSite({});
  });
  test.afterAll(() => site.close());

  test('figures and a training run work single-threaded', async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(site.url);
    const isolation = () => ({
      crossOriginIsolated,
      sharedArrayBuffer: typeof SharedArrayBuffer,
    });
    expect(await page.evaluate(isolation)).toEqual({
      crossOriginIsolated: false,
      sharedArrayBuffer: 'undefined',
    });
    const demo = page.locator('ae-demo');

    await expectFiguresAndShippedModel(demo);
    await expect(demo.locator('[data-backend]')).toHaveText(
      'TF.js wasm, SIMD on, threads off (in a worker).',
    );
    expect(page.workers()).toHaveLength(1);
    expect(await page.workers()[0].evaluate(isolation)).toEqual({
      crossOriginIsolated: false,
      sharedArrayBuffer: 'undefined',
    });
    await trainOneEpoch(page, demo);
    expect(errors).toEqual([]);
  });
});

/** The policy the issue asks the element to work under: no inline scripts, no eval, no blob: workers. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

test.describe('under a strict Content-Security-Policy', () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  test.beforeAll(async () => {
    site = await serveSite({ 'Content-Security-Policy': CSP, ...ISOLATION });
  });
  test.afterAll(() => site.close());

  test('figures, shipped models and training work with no violation; on 8 cores threads stay off, saying why', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    // Isolated with 4+ cores: TF.js would start its threaded build, whose blob:
    // workers this policy refuses (tensorflow/tfjs#4971).
    await emulateCores(page, 8);
    await page.addInitScript(() => {
      const violations: string[] = [];
      (window as unknown as { __violations: string[] }).__violations = violations;
      document.addEventListener('securitypolicyviolation', (e) =>
        violations.push(`${e.violatedDirective} blocked ${e.blockedURI}`),
      );
    });
    const workerScript = page.waitForResponse(/\/assets\/worker-[\w-]+\.js$/);
    const response = await page.goto(site.url);
    expect(response?.headers()['content-security-policy']).toBe(CSP);
    const demo = page.locator('ae-demo');

    expect(await page.evaluate(() => [crossOriginIsolated, navigator.hardwareConcurrency])).toEqual(
      [true, 8],
    );
    await expectFiguresAndShippedModel(demo);
    await expectVaeSamples(demo);
    await expect(demo.locator('[data-backend]')).toHaveText(
      'TF.js wasm, SIMD on, threads off (in a worker).',
    );
    await expect(demo.locator('[data-threads-off]')).toHaveText(
      "Threads off: this page's Content-Security-Policy forbids blob: workers.",
    );

    // The hover tooltip is positioned through styles too.
    const plot = demo.locator('[data-figure=scatter] .u-over');
    const box = (await plot.boundingBox())!;
    const tooltip = demo.locator('[data-tooltip]');
    for (let step = 0; step <= 20 && !(await tooltip.isVisible()); step++) {
      await page.mouse.move(box.x + (box.width * (step + 5)) / 30, box.y + box.height / 2);
      // The element finds the point under the pointer on the next frame.
      await nextFrames(page);
    }
    await expect(tooltip).toBeVisible();
    const placed = await tooltip.evaluate((el: HTMLElement) => el.style.left);
    expect(placed).toMatch(/^\d+(\.\d+)?px$/);

    await trainOneEpoch(page, demo);

    const violations = () =>
      page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
    // The worker ran under the policy too: its script came with it.
    expect((await workerScript).headers()['content-security-policy']).toBe(CSP);
  });
});

test.describe('cross-origin isolated, no CSP, 8 cores (emulated)', () => {
  test('TF.js starts its threaded build and training works', async ({ page }) => {
    const errors = collectErrors(page);
    await emulateCores(page, 8);
    const blobWorkers: string[] = [];
    page.on('worker', (worker) => {
      if (worker.url().startsWith('blob:')) blobWorkers.push(worker.url());
    });
    // The test server sends COOP/COEP (tests/e2e/serve-site.ts) and no CSP.
    await page.goto('./');
    expect(await page.evaluate(() => [crossOriginIsolated, navigator.hardwareConcurrency])).toEqual(
      [true, 8],
    );
    const demo = page.locator('ae-demo');
    await expectFiguresAndShippedModel(demo);
    await expect(demo.locator('[data-backend]')).toHaveText(
      'TF.js wasm, SIMD on, threads on (in a worker).',
    );
    await expect(demo.locator('[data-threads-off]')).toHaveCount(0);
    // The probe's worker and TF.js's pool: at least two blob: workers started.
    expect(blobWorkers.length).toBeGreaterThanOrEqual(2);
    await trainOneEpoch(page, demo);
    expect(errors).toEqual([]);
  });
});
