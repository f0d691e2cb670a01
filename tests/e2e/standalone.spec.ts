import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectCspViolations, collectErrors, collectWarnings, greyLevels } from './helpers.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

/**
 * dist/standalone (npm run build) the way an author uses it: the folder copied
 * as it is into a static site, deep under a sub-path, and pages elsewhere in
 * the site loading `ae-demo.js` through a relative URL, with no bundler and no
 * special server configuration.
 */
const STANDALONE = fileURLToPath(new URL('../../dist/standalone/', import.meta.url));
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'";

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>${title}</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <script type="module" src="../deep/ae-demo/ae-demo.js"></script>
  </head>
  <body>
    <main>
      <h1>${title}</h1>
      ${body}
    </main>
  </body>
</html>
`;
}

let site: string;
let plain: StaticServer;
let strict: StaticServer;

test.beforeAll(async () => {
  site = await mkdtemp(join(tmpdir(), 'ae-demo-standalone-'));
  await cp(STANDALONE, join(site, 'docs/deep/ae-demo'), { recursive: true });
  await mkdir(join(site, 'docs/guide'), { recursive: true });
  // A site has an icon; without one the browser's 404 for /favicon.ico would hide real ones.
  await cp(
    fileURLToPath(new URL('../../web/favicon.svg', import.meta.url)),
    join(site, 'favicon.svg'),
  );
  await writeFile(join(site, 'docs/guide/page.html'), page('One demo', '<ae-demo></ae-demo>'));
  await writeFile(
    join(site, 'docs/guide/two.html'),
    page('Two demos', '<ae-demo id="first"></ae-demo>\n<ae-demo id="second"></ae-demo>'),
  );
  plain = await serveStatic(site);
  strict = await serveStatic(site, { headers: { 'Content-Security-Policy': CSP } });
});

test.afterAll(async () => {
  await Promise.all([plain?.close(), strict?.close()]);
  if (site) await rm(site, { recursive: true, force: true });
});

/** The PCA figures with the reference numbers, the shipped AE's reconstructions and the VAE's samples. */
async function expectFigures(demo: Locator): Promise<void> {
  await expect(demo.locator('[data-summary=variance]')).toHaveText(
    '84 components explain 90.07 % of the variance.',
    { timeout: 60_000 },
  );
  for (const figure of ['variance', 'scatter', 'mse']) {
    await expect(demo.locator(`[data-figure=${figure}] canvas`).first()).toBeVisible();
  }
  for (const digits of ['ae', 'samples']) {
    const canvas = demo.locator(`canvas[data-digits=${digits}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
    expect(await greyLevels(canvas)).toBeGreaterThan(20);
  }
  await expect(demo.locator('canvas[data-digits=ae]')).toHaveAttribute('data-source', 'pretrained');
}

/** Counts the page's workers as they start and end. */
function countWorkers(page: Page): { started: number; closed: number } {
  const counts = { started: 0, closed: 0 };
  page.on('worker', (worker) => {
    counts.started++;
    worker.on('close', () => counts.closed++);
  });
  return counts;
}

test('copied under a sub-path, a page elsewhere in the site shows every figure', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const warnings = collectWarnings(page);
  const elsewhere: string[] = [];
  page.context().on('request', (request) => {
    if (!request.url().startsWith(plain.origin)) elsewhere.push(request.url());
  });

  await page.goto(new URL('docs/guide/page.html', plain.url).href);
  await expectFigures(page.locator('ae-demo'));

  // Every file came from the copied folder, none from another origin, none missing.
  expect(elsewhere).toEqual([]);
  expect(plain.requests.filter((r) => r.status !== 200)).toEqual([]);
  const fetched = plain.requests.map((r) => r.path);
  for (const file of [/ae-demo\.js$/, /worker-[\w-]+\.js$/, /\.wasm$/, /t10k-images.*\.gz$/]) {
    expect(fetched.some((path) => file.test(path))).toBe(true);
  }
  expect(fetched.filter((path) => !path.startsWith('/docs/'))).toEqual(['/favicon.svg']);
  expect(errors).toEqual([]);
  // A production build of Lit: no "Lit is in dev mode" warning.
  expect(warnings.filter((w) => /dev mode/i.test(w))).toEqual([]);
});

test('two elements on one page share one worker and one download of the data', async ({ page }) => {
  const errors = collectErrors(page);
  const workers = countWorkers(page);
  const before = plain.requests.length;

  await page.goto(new URL('docs/guide/two.html', plain.url).href);
  for (const id of ['first', 'second']) await expectFigures(page.locator(`ae-demo#${id}`));

  expect(workers.started).toBe(1);
  const downloads = (name: RegExp) =>
    plain.requests.slice(before).filter((r) => name.test(r.path)).length;
  expect(downloads(/t10k-images-idx3-ubyte[\w-]*\.gz$/)).toBe(1);
  expect(downloads(/t10k-labels-idx1-ubyte[\w-]*\.gz$/)).toBe(1);
  expect(errors).toEqual([]);
});

test('removing the element while it trains ends the worker; adding it back starts again', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const workers = countWorkers(page);
  await page.goto(new URL('docs/guide/page.html', plain.url).href);
  const demo = page.locator('ae-demo');
  await expectFigures(demo);

  // The most epochs allowed: the run is still under way when the element goes, on any machine.
  await demo.evaluate((el) => el.setAttribute('train-epochs', '100'));
  await demo.getByRole('button', { name: 'Train an autoencoder here' }).click();
  // Pause is offered only while a run is under way.
  await expect(demo.getByRole('button', { name: 'Pause' })).toBeEnabled({ timeout: 60_000 });
  expect(workers).toEqual({ started: 1, closed: 0 });

  await page.evaluate(() => {
    const el = document.querySelector('ae-demo')!;
    (window as unknown as { __removed: Element }).__removed = el;
    el.remove();
  });
  // The last element left: the worker is terminated, training and all.
  await expect.poll(() => workers.closed).toBe(1);
  expect(page.workers()).toHaveLength(0);

  await page.evaluate(() =>
    document.querySelector('main')!.append((window as unknown as { __removed: Element }).__removed),
  );
  await expect(demo.locator('[data-summary=variance]')).toHaveText(
    '84 components explain 90.07 % of the variance.',
    { timeout: 60_000 },
  );
  await expect(demo.locator('canvas[data-digits=samples]')).toHaveAttribute('data-drawn', 'true', {
    timeout: 60_000,
  });
  expect(workers).toEqual({ started: 2, closed: 1 });
  // A cancelled task is not an error the reader should see.
  await expect(demo.locator('[role=alert]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('under a strict Content-Security-Policy the page renders with no violation', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const violations = await collectCspViolations(page);
  const response = await page.goto(new URL('docs/guide/page.html', strict.url).href);
  expect(response?.headers()['content-security-policy']).toBe(CSP);

  await expectFigures(page.locator('ae-demo'));
  expect(await violations()).toEqual([]);
  expect(errors).toEqual([]);
  expect(strict.requests.filter((r) => r.status !== 200)).toEqual([]);
});
