import { mkdir } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { waitForFigure } from '../../src/testing/index.ts';
import { collectErrors, greyLevels } from './helpers.ts';

/**
 * The screenshots the README shows, taken from the built site in Chromium
 * once every figure has drawn. They go to the test's output folder; with
 * AE_DEMO_SCREENSHOTS=docs they replace docs/screenshots/ (how the README's
 * copies were made). Each test first checks what the picture must show.
 */
const toDocs = process.env.AE_DEMO_SCREENSHOTS === 'docs';

async function save(locator: Locator | Page, name: string, outputPath: string): Promise<void> {
  const path = toDocs ? `docs/screenshots/${name}` : outputPath;
  if (toDocs) await mkdir('docs/screenshots', { recursive: true });
  const image = await locator.screenshot({ path, animations: 'disabled' });
  expect(image.length).toBeGreaterThan(10_000);
}

/** Scrolls every figure into view (the model views start once seen) and waits until each has drawn. */
async function drawAll(demo: Locator): Promise<void> {
  await expect(demo.locator('[data-summary=variance]')).toContainText('84 components', {
    timeout: 60_000,
  });
  for (const figure of ['reconstructions', 'latent', 'compare', 'samples', 'walk', 'interpolate']) {
    await demo.locator(`[data-figure=${figure}]`).scrollIntoViewIfNeeded();
  }
  for (const name of ['originals', 'pca', 'ae', 'vae', 'samples']) {
    const canvas = demo.locator(`canvas[data-digits=${name}]`).first();
    await expect(canvas).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
    expect(await greyLevels(canvas)).toBeGreaterThan(20);
  }
  await expect(demo.locator('[data-figure=latent] .chart')).toHaveAttribute('data-drawn', /./, {
    timeout: 60_000,
  });
  await expect(demo.locator('canvas[data-digits=walk-grid]')).toHaveAttribute(
    'data-drawn',
    'true',
    {
      timeout: 60_000,
    },
  );
  await expect(demo.locator('[data-summary=compare]')).toContainText('beats PCA');
}

test('a wide page, light: every figure', async ({ page }, info) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await drawAll(demo);
  await save(demo, 'wide-light.png', info.outputPath('wide-light.png'));
  await save(demo.locator('.figures').first(), 'pca.png', info.outputPath('pca.png'));
  await save(demo.locator('[data-notebook]'), 'pca-ae-vae.png', info.outputPath('pca-ae-vae.png'));
  expect(errors).toEqual([]);
});

test('a narrow docs column, dark: the draw pad with a digit on it', async ({ page }, info) => {
  const errors = collectErrors(page);
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await drawAll(demo);
  const figure = demo.locator('[data-figure=draw]');
  await figure.scrollIntoViewIfNeeded();
  await figure.getByLabel('Test digit #').fill('0');
  await figure.getByRole('button', { name: 'Put it on the pad' }).click();
  await expect(figure.locator('[data-chart=draw-pca] [data-mark]')).toBeVisible({
    timeout: 60_000,
  });
  await expect(figure.locator('[data-summary=draw]')).toContainText('its nearest test digit is');
  // No sideways scrolling in a 390 px column.
  expect(await demo.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await save(figure, 'draw-dark-narrow.png', info.outputPath('draw-dark-narrow.png'));
  // The walk (about 905 px) is taller than an 844 px phone screen: a screenshot beyond the
  // viewport came out blank (content-visibility) depending on where the page was scrolled.
  await page.setViewportSize({ width: 390, height: 1200 });
  await save(
    demo.locator('[data-figure=walk]'),
    'walk-dark-narrow.png',
    info.outputPath('walk-dark-narrow.png'),
  );
  expect(errors).toEqual([]);
});

test('beyond the notebook, light: denoising, and the plane and the curve', async ({
  page,
}, info) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 1280, height: 1200 });
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await demo.evaluate((el) => el.setAttribute('views', 'denoise plane-curve'));
  const denoise = demo.locator('[data-figure=denoise]');
  await denoise.scrollIntoViewIfNeeded({ timeout: 30_000 });
  // Five rows drawn, the shipped denoiser below the noisy input: the picture shows the point.
  const reading = await waitForFigure(demo, 'denoise', (r) => r.drawn === 5, { timeout: 90_000 });
  expect(Number(reading.data['mse-dae'])).toBeLessThan(Number(reading.data['mse-noisy']));
  await save(denoise, 'denoise.png', info.outputPath('denoise.png'));
  const shapes = demo.locator('[data-figure=plane-curve]');
  await shapes.scrollIntoViewIfNeeded();
  const sets = await waitForFigure(
    demo,
    'plane-curve',
    (r) => r.data['plane-ae-mse'] !== undefined && r.data['curve-ae-mse'] !== undefined,
    { timeout: 120_000 },
  );
  expect(Number(sets.data['curve-ae-mse'])).toBeLessThan(Number(sets.data['curve-pca-mse']));
  await save(shapes, 'plane-curve.png', info.outputPath('plane-curve.png'));
  expect(errors).toEqual([]);
});
