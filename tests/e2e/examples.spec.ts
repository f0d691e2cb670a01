import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { expectPcaFigures, expectVaeSamples } from './demo-checks.ts';
import { collectErrors, collectWarnings } from './helpers.ts';
import { serveStatic, type StaticServer } from './static-server.ts';

/**
 * The example pages as `npm run build` writes them (dist/examples/), each
 * served by a plain static server from the sub-path it was built for.
 */
const EXAMPLES = fileURLToPath(new URL('../../dist/examples/', import.meta.url));
/** VitePress's `base` in examples/vitepress/.vitepress/config.mts. */
const DOCS_BASE = '/ae-demo/';

/** The PCA figures, with the reference numbers, and the shipped VAE's samples. */
async function expectFigures(page: Page): Promise<void> {
  const demo = page.locator('ae-demo');
  await expectPcaFigures(demo);
  await expectVaeSamples(demo);
}

test.describe('plain HTML example', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await serveStatic(`${EXAMPLES}plain`, { prefix: '/course/week-3/' });
  });
  test.afterAll(() => server.close());

  test('the page with the standalone folder next to it shows the figures', async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(server.url);
    await expectFigures(page);
    // The element picked up the page's theme through its custom properties.
    const accent = await page
      .locator('ae-demo')
      .evaluate((el) => getComputedStyle(el).getPropertyValue('--ae-demo-accent').trim());
    expect(accent).toBe('#8a3ffc');
    expect(server.requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test.describe('VitePress example', () => {
  let server: StaticServer;
  test.beforeAll(async () => {
    server = await serveStatic(`${EXAMPLES}vitepress`, { prefix: DOCS_BASE });
  });
  test.afterAll(() => server.close());

  test('the pre-rendered page hydrates and loads the npm element build client-side', async ({
    page,
  }) => {
    const errors = collectErrors(page);
    const warnings = collectWarnings(page);

    // Pre-rendered without the element (it is client-only), so the server did not touch customElements.
    const html = await (await page.request.get(server.url)).text();
    expect(html).toContain('PCA vs autoencoders on MNIST');
    expect(html).not.toContain('<ae-demo');

    await page.goto(server.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(
      /PCA vs autoencoders on MNIST/,
    );
    await expectFigures(page);
    expect(await page.evaluate(() => customElements.get('ae-demo') !== undefined)).toBe(true);

    // The worker VitePress bundled from the element build, with its chunks and wasm.
    const paths = server.requests.map((r) => r.path);
    expect(paths.some((p) => /\/assets\/worker-[\w-]+\.js$/.test(p))).toBe(true);
    expect(paths.some((p) => /\/assets\/pca\.simd-[\w-]+\.wasm$/.test(p))).toBe(true);
    expect(paths.every((p) => p.startsWith(DOCS_BASE))).toBe(true);
    expect(server.requests.filter((r) => r.status !== 200)).toEqual([]);
    expect(warnings.filter((w) => /hydration|dev mode/i.test(w))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
