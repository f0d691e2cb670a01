import { expect, test, type Page } from '@playwright/test';
import { pca } from '../../src/core/pca.ts';
import { type AuthorSet, makeAuthorSet } from '../fixtures/author-set.ts';
import { collectErrors, demoEvents, openWithAuthorSet } from './helpers.ts';

// page.route must see every request, and a service worker from an earlier test would answer first.
test.use({ serviceWorkers: 'block' });

/**
 * The whole lesson on an author's own images (issue 13, part 3): 3,000
 * MNIST digits averaged down to 16 × 12, served as a gzip idx file without
 * labels and as a CSV, in place of the bundled MNIST.
 */
let set: AuthorSet;
/** The PCA sentence as the core's PCA, run here in Node on the same images, says it. */
let pcaSentence: string;
test.beforeAll(async () => {
  set = await makeAuthorSet(3000, 16, 12);
  const r = await pca({ samples: set.count, features: 16 * 12, pixels: set.pixels });
  const k = r.componentsFor90;
  pcaSentence = `${k} components explain ${(100 * r.cumulativeVariance[k - 1]).toFixed(2)} % of the variance.`;
});

/** The 8-bit images a digit-grid canvas shows (ink is 255 − value), `count` of rows × cols. */
async function canvasImages(
  page: Page,
  selector: string,
  count: number,
  rows: number,
  cols: number,
): Promise<number[]> {
  return page.locator(selector).evaluate(
    (canvas: HTMLCanvasElement, [count, rows, cols]) => {
      const ctx = canvas.getContext('2d')!;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const out: number[] = [];
      for (let d = 0; d < count; d++)
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) {
            const x = d * (cols + 2) + c;
            out.push(255 - data[4 * (r * canvas.width + x)]);
          }
      return out;
    },
    [count, rows, cols] as const,
  );
}

test('a 16 × 12 idx data-src without labels: PCA, "train one here", a quick AE trained on it, its digits rebuilt, walked and interpolated', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors = collectErrors(page);
  await openWithAuthorSet(
    page,
    set,
    '<ae-demo data-src="my-data/digits-idx3-ubyte.gz" data-name="my 16 × 12 digits" ' +
      'views="variance scatter reconstructions samples walk interpolate train"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[data-heading]')).toHaveText('PCA on my 16 × 12 digits');
  await expect(demo.locator('[part=status]')).toContainText('PCA of 3,000 digits', {
    timeout: 60_000,
  });
  await expect(demo.locator('[data-summary=variance]')).toHaveText(pcaSentence);
  // No labels: one colour, no digit legend, and the sentence says so.
  await expect(demo.locator('[data-summary=scatter]')).toContainText(
    'All 3,000 images on PC1 and PC2',
  );
  await expect(demo.locator('[data-summary=scatter]')).toContainText('no labels, so one colour');
  await expect(demo.locator('[data-figure=scatter] .legend')).toHaveCount(0);

  // The shipped models take 28 × 28 digits: before training the figures say to train one here.
  const figure = demo.locator('[data-figure=reconstructions]');
  await expect(figure.locator('[data-needs-model]')).toContainText(
    'these images are 16 × 12: this figure needs an autoencoder of that shape. Train one here',
  );
  await expect(demo.locator('[data-figure=samples] [data-needs-model]')).toContainText(
    'needs a VAE of that shape. Train one here',
  );
  // The walk and the interpolation take either kind of model.
  const either =
    'The shipped models take 28 × 28 digits, but these images are 16 × 12: this figure needs an ' +
    'autoencoder or a VAE of that shape. Train one here (the training panel below, method ' +
    '"Autoencoder" or "VAE").';
  await expect(demo.locator('[data-summary=walk]')).toHaveText(either);
  await expect(demo.locator('[data-summary=interpolate]')).toHaveText(either);
  await expect(figure.locator('canvas[data-digits=ae]')).toHaveCount(0);
  // The originals are the held-out last 20 %: images 2,400 … 2,409 of the author's file.
  const originals = figure.locator('canvas[data-digits=originals]');
  await expect(originals).toHaveAttribute('data-drawn', 'true', { timeout: 60_000 });
  const d = 16 * 12;
  expect(
    await canvasImages(
      page,
      '[data-figure=reconstructions] canvas[data-digits=originals]',
      10,
      16,
      12,
    ),
  ).toEqual(Array.from(set.pixels.subarray(2400 * d, 2410 * d)));
  await expect(demo.locator('[data-summary=train-data]')).toContainText(
    'up to 2,000 of your 16 × 12 images, from the first 80 % of my 16 × 12 digits',
  );

  await demo.locator('[data-action=train]').click();
  await expect
    .poll(async () => (await demoEvents(page)).trained.length, { timeout: 120_000 })
    .toBe(1);
  const [trained] = (await demoEvents(page)).trained;
  expect(trained).toMatchObject({ kind: 'ae', trainCount: 2000, epochs: 5 });

  const rebuilt = figure.locator('canvas[data-digits=ae]');
  await expect(rebuilt).toHaveAttribute('data-drawn', 'true');
  await expect(rebuilt).toHaveAttribute('data-source', 'trained');
  // One row of ten 16 × 12 images, 2 pixels apart.
  expect(await rebuilt.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
    10 * 12 + 9 * 2,
    16,
  ]);
  await expect(figure.locator('[data-needs-model]')).toContainText('needs a VAE of that shape');
  const summary = figure.locator('[data-summary=reconstructions]');
  await expect(summary).toContainText(
    'over the 600 test images held out from my 16 × 12 digits (its last 20 %, not trained on)',
  );
  await expect(summary).toContainText(/your autoencoder \(5 epochs, trained here\) 0\.0\d{3}/);
  await expect(summary).toContainText('the VAE (from μ) none yet (train one here)');
  // The row rebuilds these ten digits: each is nearer its own original than the next one's.
  const input = Array.from(set.pixels.subarray(2400 * d, 2410 * d));
  const next = Array.from(set.pixels.subarray(2401 * d, 2411 * d));
  const output = await canvasImages(
    page,
    '[data-figure=reconstructions] canvas[data-digits=ae]',
    10,
    16,
    12,
  );
  const mse = (a: number[], b: number[]) =>
    a.reduce((s, v, i) => s + ((v - b[i]) / 255) ** 2, 0) / a.length;
  expect(mse(input, output)).toBeLessThan(mse(next, output));

  // The walk: the trained autoencoder's 9 × 9 grid of 16 × 12 images, and its point by keys.
  const walk = demo.locator('[data-figure=walk]');
  await walk.scrollIntoViewIfNeeded();
  const grid = walk.locator('canvas[data-digits=walk-grid]');
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  await expect(grid).toHaveAttribute('data-shape', '16x12');
  expect(await grid.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
    9 * 12 + 8 * 2,
    9 * 16 + 8 * 2,
  ]);
  await expect(walk.locator('[data-summary=walk]')).toContainText(
    '9 × 9 images of 16 × 12 pixels decoded by the autoencoder from a grid of latent points: z1 runs across from ',
  );
  await expect(walk.locator('[data-summary=walk]')).toContainText(
    "(the 1st to 99th percentile of the test images' codes). The other 8 dimensions stay at the test images' mean code.",
  );
  const thumb = walk.getByRole('slider');
  const point = walk.locator('canvas[data-digits=walk-point]');
  const start = (await thumb.getAttribute('aria-valuetext'))!;
  await expect(point).toHaveAttribute('data-point', start);
  await thumb.focus();
  await page.keyboard.press('ArrowRight');
  await expect(thumb).not.toHaveAttribute('aria-valuetext', start);
  await expect(point).toHaveAttribute('data-point', (await thumb.getAttribute('aria-valuetext'))!);
  await expect(point).toHaveAttribute('data-shape', '16x12');
  expect(await point.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([12, 16]);

  // The interpolation between held-out test images #0 and #1 (the file's 2,400th and 2,401st).
  const interpolate = demo.locator('[data-figure=interpolate]');
  await interpolate.scrollIntoViewIfNeeded();
  const row = interpolate.locator('canvas[data-digits=interp-ae]');
  await expect(row).toHaveAttribute('data-drawn', 'true');
  await expect(row).toHaveAttribute('data-shape', '16x12');
  expect(await row.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
    10 * 12 + 9 * 2,
    16,
  ]);
  await expect(interpolate.locator('[data-summary=interpolate]')).toHaveText(
    'From test image #0 to test image #1 in 10 even steps (images of 16 × 12 pixels): the plain ' +
      'crossfade of their pixels, then the decodings of points on the straight line between their ' +
      'codes in your autoencoder (5 epochs, trained here). The crossfade shows both images at once ' +
      'half-way; a decoder draws one shape.',
  );
  await expect(interpolate.locator('[data-missing=vae]')).toHaveText(
    'None of 16 × 12 yet: train one here.',
  );
  for (const [name, image] of [
    ['interp-a', 2400],
    ['interp-b', 2401],
  ] as const) {
    expect(
      await canvasImages(page, `[data-figure=interpolate] canvas[data-digits=${name}]`, 1, 16, 12),
    ).toEqual(Array.from(set.pixels.subarray(image * d, (image + 1) * d)));
  }
  expect(errors).toEqual([]);
});

test('a 16 × 12 CSV data-src with data-shape and a test-data-src: labelled figures, its file name in the heading', async ({
  page,
}) => {
  const errors = collectErrors(page);
  await openWithAuthorSet(
    page,
    set,
    '<ae-demo data-src="my-data/digits.csv" data-shape="16x12" ' +
      'test-data-src="my-data/digits-idx3-ubyte.gz" views="variance scatter reconstructions train"></ae-demo>',
  );
  const demo = page.locator('ae-demo');
  await expect(demo.locator('[data-heading]')).toHaveText('PCA on digits.csv');
  await expect(demo.locator('[part=status]')).toContainText('PCA of 3,000 digits', {
    timeout: 60_000,
  });
  await expect(demo.locator('[data-summary=variance]')).toHaveText(pcaSentence);
  await expect(demo.locator('[data-summary=scatter]')).toContainText(
    'All 3,000 digits on PC1 and PC2',
  );
  await expect(demo.locator('[data-figure=scatter] .legend')).toHaveCount(1);
  await expect(demo.locator('[data-figure=reconstructions] [data-needs-model]')).toContainText(
    'Train one here',
  );
  // The models are scored on test-data-src (here the same images as idx): all 3,000 of them.
  await expect(demo.locator('[data-summary=reconstructions]')).toContainText(
    'over the 3,000 test images of digits-idx3-ubyte.gz: ',
  );
  await expect(
    demo.locator('[data-figure=reconstructions] canvas[data-digits=originals]'),
  ).toHaveAttribute('data-drawn', 'true');
  expect(
    await canvasImages(
      page,
      '[data-figure=reconstructions] canvas[data-digits=originals]',
      10,
      16,
      12,
    ),
  ).toEqual(Array.from(set.pixels.subarray(0, 10 * 16 * 12)));
  await expect(demo.locator('[data-summary=train-data]')).toContainText(
    'up to 2,000 of your 16 × 12 images, from digits.csv',
  );

  // A CSV of non-square rows without data-shape is refused in words that say what to give.
  await demo.evaluate((el) => el.removeAttribute('data-shape'));
  await expect(demo.locator('[part=error]')).toContainText(
    'digits.csv: its rows hold 192 pixels after the label, not a square image; give the shape (rows × cols), e.g. data-shape="16x12".',
  );
  expect(errors).toEqual([]);
});
