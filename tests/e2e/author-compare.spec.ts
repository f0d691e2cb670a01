import { expect, test } from '@playwright/test';
import { holdOut } from '../../src/core/data/images.ts';
import { heldOutMse, pca } from '../../src/core/pca.ts';
import { type AuthorSet, makeAuthorSet } from '../fixtures/author-set.ts';
import { collectErrors, openWithAuthorSet } from './helpers.ts';

// page.route must see every request, and a service worker from an earlier test would answer first.
test.use({ serviceWorkers: 'block' });

/**
 * Autoencoder against PCA by latent size measured in the page on an
 * author's own images (issue 13, part 3): 3,000 MNIST digits averaged down
 * to 16 × 12, served as a gzip idx file without labels; the models train on
 * the first 2,400 and are scored on the last 600.
 */
let set: AuthorSet;
/** PCA fitted in Node on the first 2,400 images, its MSE on the last 600 at k = 1 … 10. */
let expectedPca: Float64Array;
test.beforeAll(async () => {
  set = await makeAuthorSet(3000, 16, 12);
  const { train, test } = holdOut(set);
  const basis = await pca(
    { samples: train.count, features: 16 * 12, pixels: train.pixels },
    { components: 10, scoreDims: 0 },
  );
  expectedPca = await heldOutMse(basis, test.pixels);
});

const numbers = (text: string | null) => (text ?? '').split(',').map(Number);

test('"Measure on my digits" trains one autoencoder per k in the worker and sets each beside PCA on the held-out images', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const tables: string[] = [];
  page.on('request', (r) => {
    if (/compare[^/]*\.json/.test(r.url())) tables.push(r.url());
  });
  await openWithAuthorSet(
    page,
    set,
    '<ae-demo data-src="my-data/digits-idx3-ubyte.gz" data-name="my digits" epochs="3" views="variance compare"></ae-demo>',
  );
  const figure = page.locator('ae-demo [data-figure=compare]');
  const summary = figure.locator('[data-summary=compare]');
  await expect(summary).toContainText('PCA fitted on the 2,400 images the models train on', {
    timeout: 60_000,
  });
  await expect(summary).toContainText(
    `test MSE ${expectedPca[0].toFixed(4)} at k = 1 … ${expectedPca[9].toFixed(4)} at k = 10 ` +
      'on the 600 test images held out from my digits (its last 20 %, not trained on).',
  );
  await expect(summary).toContainText(
    '"Measure on my digits" trains one autoencoder per k = 2, 4, 6, 8, 10 here (quick preset, 3 epochs each)',
  );
  await expect(figure.locator('.chart')).toHaveAttribute('data-drawn', 'author 10||');
  // Nothing trains by itself.
  await expect(figure).not.toHaveAttribute('data-state');

  await figure.getByRole('button', { name: 'Measure on my digits' }).click();
  await expect(figure).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  // Every k's row, once, in order.
  await expect(figure).toHaveAttribute('data-measured-ks', '2,4,6,8,10');
  await expect(figure.locator('.chart')).toHaveAttribute(
    'data-drawn',
    /^author 10\|2:.*,10:[^,]*\|$/,
  );
  await expect(figure.locator('[data-status=compare]')).toHaveText(
    /^Measured 5 latent sizes \(\d+\.\d s of training\)\.$/,
  );
  const ks = [2, 4, 6, 8, 10];
  const aeMse = numbers(await figure.getAttribute('data-ae-mse'));
  const pcaMse = numbers(await figure.getAttribute('data-pca-mse'));
  expect(aeMse).toHaveLength(5);
  for (const [i, k] of ks.entries()) {
    // PCA is the one fitted on the training part and scored on the held-out part, as in Node.
    expect(Math.abs(pcaMse[i] - expectedPca[k - 1])).toBeLessThan(1e-6);
    expect(Number.isFinite(aeMse[i]) && aeMse[i] > 0 && aeMse[i] < 0.2).toBe(true);
    if (i > 0) expect(pcaMse[i]).toBeLessThan(pcaMse[i - 1]);
  }
  // The sentence says the figure's numbers.
  const text = ((await summary.textContent()) ?? '').trim();
  const pairs = ks
    .map((k, i) => `k = ${k}: ${aeMse[i].toFixed(4)} / ${pcaMse[i].toFixed(4)}`)
    .join(', ');
  expect(text).toContain(`Test MSE per pixel, autoencoder / PCA: ${pairs}.`);
  expect(text).toContain(
    'measured here on the 600 test images held out from my digits (its last 20 %, not trained on).',
  );
  expect(text).toContain(
    'Each autoencoder: quick preset, relu bottleneck, seed 1, 3 epochs, 2,000 training images; ' +
      'PCA fitted on the 2,400 images the models train on.',
  );
  const wins = ks.filter((_, i) => aeMse[i] < pcaMse[i]);
  const first = (aeMse[0] / pcaMse[0]).toFixed(2);
  const last = (aeMse[4] / pcaMse[4]).toFixed(2);
  const verdict =
    wins.length === 5
      ? 'The autoencoder beats PCA at every k from 2 to 10'
      : wins.length === 0
        ? 'PCA beats the autoencoder at every k from 2 to 10'
        : `The autoencoder beats PCA at k = ${wins.join(', ')} and not at k = ${ks.filter((k) => !wins.includes(k)).join(', ')}`;
  const opening = `${verdict} (AE/PCA ${first} at k = 2 … ${last} at k = 10), `;
  expect(text.slice(0, opening.length)).toBe(opening);
  // MNIST's table was never fetched for these images.
  expect(tables).toEqual([]);
  expect(errors).toEqual([]);
});

test('Cancel stops the measurement (100 epochs per k) with the rows so far', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openWithAuthorSet(
    page,
    set,
    '<ae-demo data-src="my-data/digits-idx3-ubyte.gz" data-name="my digits" epochs="100" views="compare"></ae-demo>',
  );
  const figure = page.locator('ae-demo [data-figure=compare]');
  const measure = figure.getByRole('button', { name: 'Measure on my digits' });
  await expect(measure).toBeEnabled({ timeout: 60_000 });
  await measure.click();
  await expect(figure.locator('[data-status=compare]')).toContainText('Training the autoencoder', {
    timeout: 60_000,
  });
  await figure.getByRole('button', { name: 'Cancel' }).click();
  await expect(figure).toHaveAttribute('data-state', 'cancelled');
  await expect(figure.locator('[data-status=compare]')).toHaveText(
    /^Cancelled after [0-4] of 5 latent sizes\.$/,
  );
  // The rows that had arrived stay, in order; the button is back.
  const done = Number(
    /after (\d)/.exec((await figure.locator('[data-status=compare]').textContent()) ?? '')![1],
  );
  const measured = await figure.getAttribute('data-measured-ks');
  expect(measured ?? '').toBe([2, 4, 6, 8, 10].slice(0, done).join(','));
  await expect(measure).toBeEnabled();
  expect(errors).toEqual([]);
});

test("the reconstructions' PCA is scored on the held-out images the trained autoencoder is", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  await openWithAuthorSet(
    page,
    set,
    '<ae-demo data-src="my-data/digits-idx3-ubyte.gz" data-name="my digits" epochs="2" ' +
      'views="reconstructions train"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  await demo
    .getByRole('button', { name: /^Train/ })
    .first()
    .click({ timeout: 60_000 });
  const summary = demo.locator('[data-summary=reconstructions]');
  // k = the autoencoder's latent size, 10; PCA fitted on the first 2,400 images, as in Node.
  await expect(summary).toContainText(
    'over the 600 test images held out from my digits (its last 20 %, not trained on): ' +
      `PCA with 10 components ${expectedPca[9].toFixed(4)} ` +
      '(fitted on the 2,400 images the models train on), your autoencoder (2 epochs, trained here) 0.0',
    { timeout: 90_000 },
  );
  await expect(
    demo.locator('[data-figure=reconstructions] canvas[data-digits=pca]'),
  ).toHaveAttribute('data-drawn', 'true');
  expect(errors).toEqual([]);
});
