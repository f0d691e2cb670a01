import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { buildServiceWorker, SW_FILE } from '../../scripts/build-sw.mjs';
import { expectFiguresAndShippedModel, expectVaeSamples, trainOneEpoch } from './demo-checks.ts';
import { collectErrors } from './helpers.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

/**
 * Offline after the first visit, through the service worker scripts/build-sw.mjs
 * writes: one visit with the network on, then the server is shut down and the
 * context goes offline, and the page is reloaded. Served by a plain static
 * server under a sub-path, the way a docs host serves it.
 */
const SITE =
  process.env.AE_DEMO_SITE_DIR ?? fileURLToPath(new URL('../../dist/site/', import.meta.url));
const STANDALONE =
  process.env.AE_DEMO_STANDALONE_DIR ??
  fileURLToPath(new URL('../../dist/standalone/', import.meta.url));
/** The policy: the service worker must register under it too. */
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

test.use({ serviceWorkers: 'allow' });

/**
 * Requests that got no answer: those of the pages and their workers, and the
 * service worker's own, which may fail offline only where it tries the network
 * before its caches (pages and unhashed files, precache.ts `route`).
 */
function collectFailedRequests(context: BrowserContext): { page: string[]; sw: string[] } {
  const failed = { page: [] as string[], sw: [] as string[] };
  context.on('requestfailed', (request) =>
    (request.serviceWorker() ? failed.sw : failed.page).push(
      `${request.url()}: ${request.failure()?.errorText}`,
    ),
  );
  return failed;
}

/** The service worker went to the network offline only for network-first URLs, never for a hashed file. */
function expectOnlyNetworkFirstTries(failed: { sw: string[] }): void {
  for (const line of failed.sw) {
    expect(line).toMatch(/ERR_INTERNET_DISCONNECTED$/);
    expect(line).not.toMatch(/\/assets\//);
  }
}

/** Waits until a service worker controls the page, and keeps `url` in its caches. */
async function expectOfflineCopy(page: Page, url: string): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.state ?? 'none'), {
      timeout: 60_000,
    })
    .toBe('activated');
  await expect
    .poll(() => page.evaluate((u) => caches.match(u).then((r) => r?.status ?? 0), url))
    .toBe(200);
}

/** Cuts the network both ways: the server is gone and the browser is offline. */
async function goOffline(context: BrowserContext, server: StaticServer): Promise<void> {
  await server.close();
  await context.setOffline(true);
}

/** After the reload: figures, shipped models and one epoch of training, all from the caches. */
async function expectWorksOffline(page: Page): Promise<void> {
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  const demo = page.locator('ae-demo');
  await expectFiguresAndShippedModel(demo);
  await expectVaeSamples(demo);
  await trainOneEpoch(page, demo);
}

test('the demo site works offline after one visit (sub-path, strict CSP)', async ({
  page,
  context,
}) => {
  const errors = collectErrors(page);
  const failed = collectFailedRequests(context);
  const server = await serveStatic(SITE, {
    prefix: '/docs/demo/',
    headers: { 'Content-Security-Policy': CSP },
  });
  try {
    await page.goto(server.url);
    await expectFiguresAndShippedModel(page.locator('ae-demo'));
    await expectVaeSamples(page.locator('ae-demo'));
    // index.html is precached: the first navigation happened before the worker ran.
    await expectOfflineCopy(page, `${server.url}index.html`);
    expect(server.requests.map((r) => r.path)).toContain(`/docs/demo/${SW_FILE}`);

    await goOffline(context, server);
    const served = server.requests.length;
    await expectWorksOffline(page);
    expect(server.requests.length).toBe(served);
    expect(failed.page).toEqual([]);
    expectOnlyNetworkFirstTries(failed);
    expect(errors).toEqual([]);
  } finally {
    await context.setOffline(false);
    await server.close();
  }
});

test.describe('a docs page embedding the standalone element', () => {
  let site: string;
  test.beforeAll(async () => {
    // The README's layout: the standalone folder copied to /docs/deep/ae-demo/,
    // its service worker copied up to /docs/ so that its scope covers
    // /docs/guide/, told with ?assets= where the element's files are.
    site = await mkdtemp(join(tmpdir(), 'ae-demo-offline-'));
    const folder = join(site, 'docs/deep/ae-demo');
    await cp(STANDALONE, folder, { recursive: true });
    await buildServiceWorker(folder);
    await cp(join(folder, SW_FILE), join(site, 'docs', SW_FILE));
    await mkdir(join(site, 'docs/guide'), { recursive: true });
    await writeFile(
      join(site, 'docs/guide/page.html'),
      `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>A guide</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="guide.css" />
    <script type="module" src="../deep/ae-demo/ae-demo.js"></script>
    <script type="module" src="offline.js"></script>
  </head>
  <body>
    <main><h1>A guide</h1><ae-demo></ae-demo></main>
  </body>
</html>
`,
    );
    await writeFile(join(site, 'docs/guide/guide.css'), 'main { max-width: 40rem; }\n');
    // The README's registration snippet, as an author's own module.
    await writeFile(
      join(site, 'docs/guide/offline.js'),
      `if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('../ae-demo-sw.js?assets=deep/ae-demo/');
  navigator.serviceWorker.ready.then((registration) => {
    const urls = [location.href, ...performance.getEntriesByType('resource').map((e) => e.name)];
    registration.active.postMessage({ type: 'ae-demo-sw:keep', urls });
  });
}
`,
    );
  });
  test.afterAll(async () => {
    if (site) await rm(site, { recursive: true, force: true });
  });

  test('works offline after one visit, the page and its own files included', async ({
    page,
    context,
  }) => {
    const errors = collectErrors(page);
    const failed = collectFailedRequests(context);
    const server = await serveStatic(site);
    try {
      const url = `${server.url}docs/guide/page.html`;
      await page.goto(url);
      await expectFiguresAndShippedModel(page.locator('ae-demo'));
      await expectVaeSamples(page.locator('ae-demo'));
      await expectOfflineCopy(page, url);
      // The page's own files, kept at the page's request (the keep message).
      await expectOfflineCopy(page, `${server.url}docs/guide/offline.js`);
      await expectOfflineCopy(page, `${server.url}docs/guide/guide.css`);

      await goOffline(context, server);
      await expectWorksOffline(page);
      await expect(page.locator('main')).toHaveCSS('max-width', '640px');
      expect(failed.page).toEqual([]);
      expectOnlyNetworkFirstTries(failed);
      expect(errors).toEqual([]);
    } finally {
      await context.setOffline(false);
      await server.close();
    }
  });
});
