import { expect, test } from '@playwright/test';
import { type FigureReading, waitForFigure } from '../../src/testing/index.ts';
import {
  collectAeErrors,
  collectErrors,
  greyLevels,
  longTasksSince,
  pageNow,
  recordLongTasks,
} from './helpers.ts';

/** The figure's errors, from its data attributes. */
function errorsOf(r: FigureReading) {
  const n = (name: string) => Number(r.data[`mse-${name}`]);
  return { noisy: n('noisy'), dae: n('dae'), ae: n('ae'), pca: n('pca') };
}

test('denoise: the shipped denoising autoencoder beats the noisy input and the plain autoencoder on the same noisy digits', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  await recordLongTasks(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await demo.evaluate((el) => el.setAttribute('views', 'denoise'));
  const figure = demo.locator('[data-figure=denoise]');
  await expect(figure).toBeVisible({ timeout: 30_000 });
  await figure.scrollIntoViewIfNeeded();
  const t0 = await pageNow(page);

  const first = await waitForFigure(
    demo,
    'denoise',
    (r) => r.data.noise === 'gaussian:0.3' && r.drawn === 5,
    { timeout: 90_000 },
  );
  const at03 = errorsOf(first);
  expect(first.data.count).toBe('10000');
  expect(first.data.k).toBe('10');
  expect(first.data.denoiser).toBe('pretrained');
  expect(at03.dae).toBeLessThan(at03.noisy);
  expect(at03.dae).toBeLessThan(at03.ae);
  // The sentence says the same numbers, rounded.
  expect(first.summary).toBe(
    `With Gaussian noise σ = 0.30 on the 10,000 test digits, the noisy digits' error is ${at03.noisy.toFixed(4)}; ` +
      `the shipped denoising autoencoder (trained with σ = 0.30) brings it to ${at03.dae.toFixed(4)}, ` +
      `the shipped autoencoder to ${at03.ae.toFixed(4)} and PCA (10 components) to ${at03.pca.toFixed(4)} ` +
      '(mean squared error per pixel against the clean digits; lower is better).',
  );
  for (const row of ['clean', 'noisy', 'dae', 'ae', 'pca']) {
    expect(await greyLevels(figure.locator(`canvas[data-digits=denoise-${row}]`))).toBeGreaterThan(
      5,
    );
  }

  // Four steps up from the keyboard: σ = 0.50, more noise, and the denoiser still ahead.
  const slider = figure.getByRole('slider', { name: /Standard deviation σ/ });
  await slider.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect(figure.locator('output[data-level]')).toHaveText('σ = 0.50');
  const at05 = errorsOf(
    await waitForFigure(demo, 'denoise', (r) => r.data.noise === 'gaussian:0.5', {
      timeout: 90_000,
    }),
  );
  expect(at05.noisy).toBeGreaterThan(at03.noisy);
  expect(at05.dae).toBeLessThan(at05.noisy);
  expect(at05.dae).toBeLessThan(at05.ae);

  // Masking half the pixels: the same figure, other noise.
  await figure.getByRole('combobox', { name: 'Noise' }).selectOption('mask');
  const masked = await waitForFigure(demo, 'denoise', (r) => r.data.noise === 'mask:0.5', {
    timeout: 90_000,
  });
  expect(masked.summary).toContain('With 50 % of the pixels masked (set to 0) on the 10,000 test');
  expect(errorsOf(masked).noisy).not.toBe(at03.noisy);

  expect(await longTasksSince(page, t0)).toEqual([]);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});

test('the shipped denoiser downloads only when its figure first scrolls into view', async ({
  page,
}) => {
  const errors = collectErrors(page);
  const weights: string[] = [];
  page.on('response', (r) => {
    if (/weights\.bin[^/]*\.gz$/.test(new URL(r.url()).pathname)) weights.push(r.url());
  });
  await page.goto('./');
  const demo = page.locator('ae-demo');
  // Every view: the shipped AE and VAE are drawn near the top, the denoiser's figure far below.
  await expect(demo.locator('[data-notebook] canvas[data-digits=ae]')).toHaveAttribute(
    'data-drawn',
    'true',
    { timeout: 60_000 },
  );
  await expect(demo.locator('[part=models] canvas[data-digits=samples]')).toHaveAttribute(
    'data-drawn',
    'true',
  );
  const summary = demo.locator('[data-summary=denoise]');
  await expect(summary).toHaveText('Starts when it scrolls into view.');
  expect(weights).toHaveLength(2);
  await demo.locator('[data-figure=denoise]').scrollIntoViewIfNeeded();
  await waitForFigure(demo, 'denoise', (r) => r.drawn === 5, { timeout: 90_000 });
  expect(weights).toHaveLength(3);
  expect(errors).toEqual([]);
});
