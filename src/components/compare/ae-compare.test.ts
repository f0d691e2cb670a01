import { readFileSync } from 'node:fs';
import { authorImages, expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';
import type { CompareTable } from './compare-table.ts';

const table = JSON.parse(
  readFileSync(new URL('../../../pretrained/compare.json', import.meta.url), 'utf8'),
) as CompareTable;

test('draws the shipped table with this page’s PCA as rings', async ({ page, mountPart }) => {
  await mountPart('ae-compare');
  const figure = page.locator('ae-compare [data-figure=compare]');
  const summary = figure.locator('[data-summary=compare]');
  await expect(summary).toContainText('The autoencoder beats PCA at every k from 1 to 10');
  await expect(summary).toContainText('measured by `ae-demo reproduce`');
  // The fake PCA's error at k = 10 is 0.0060.
  const k10 = table.rows.find((r) => r.k === 10)!;
  await expect(summary).toContainText(
    `This page's PCA of the test digits (rings) gives 0.0060 at k = 10; the table has ${k10.pcaMse.toFixed(4)}.`,
  );
  await expect(figure.locator('.legend li')).toHaveText([
    'autoencoder',
    'PCA (dashed)',
    "this page's PCA",
  ]);
  await expect(figure.locator('.chart')).toHaveAttribute('data-drawn', '10|');
  await expect(figure.locator('.chart canvas')).toHaveCount(1);
  // The shipped autoencoder is the table's own: nothing to score.
  expect(await page.evaluate(() => window.part.bridge.calls.map((c) => c.name))).not.toContain(
    'mse',
  );
});

test('the reader’s own autoencoder is scored and joins the chart as the filled point', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-compare', { script: { hold: ['mse'] } });
  const figure = page.locator('ae-compare [data-figure=compare]');
  const summary = figure.locator('[data-summary=compare]');
  const box = figure.locator('.chart');
  await expect(box).toHaveAttribute('data-drawn', '10|');
  await page.evaluate((model) => window.part.store.show({ ...model }), trainedAe);
  await expect(summary).toContainText(
    'Scoring your autoencoder (3 epochs, trained here) on the test digits…',
  );
  await page.evaluate(() => window.part.bridge.release('mse'));
  const k4 = table.rows.find((r) => r.k === 4)!;
  await expect(summary).toContainText(
    'Your autoencoder (3 epochs, trained here) (k = 4, the filled point): test MSE 0.0123, ' +
      `against ${k4.aeMse.toFixed(4)} for the table's autoencoder and ${k4.pcaMse.toFixed(4)} for PCA.`,
  );
  await expect(box).toHaveAttribute('data-drawn', '10|4:0.0123');
  await expect(figure.locator('.legend li').last()).toHaveText('your autoencoder');
});

test('a table that cannot be fetched is said in the figure and fired once', async ({
  page,
  mountPart,
}) => {
  await page.route(/compare[^/]*\.json$/, (route) => route.fulfill({ status: 404, body: '' }));
  await mountPart('ae-compare');
  const figure = page.locator('ae-compare [data-figure=compare]');
  await expect(figure.locator('[role=alert]')).toContainText(
    /Could not draw this figure\.\s*Could not load \S*compare\S*\.json: HTTP 404\./,
  );
  await expect(figure.locator('[data-summary=compare]')).toHaveText('Loading the measured table…');
  await page.evaluate(() => window.part.store.changed());
  const errors = await fired(page, 'ae-error');
  expect(errors).toEqual([
    { code: 'DATA_FETCH_FAILED', message: expect.stringMatching(/HTTP 404\.$/) },
  ]);
});

/** A 16 × 12 set of the author's without labels or a test set: its last 20 % is held out. */
const author = authorImages();
const heldOutWords = 'the 100 test images held out from my digits (its last 20 %, not trained on)';

test("on an author's images: PCA on the held-out images, and nothing trains until Measure", async ({
  page,
  mountPart,
}) => {
  const tables: string[] = [];
  page.on('request', (r) => {
    if (/compare[^/]*\.json/.test(r.url())) tables.push(r.url());
  });
  await mountPart('ae-compare', author);
  const figure = page.locator('ae-compare [data-figure=compare]');
  // The fake PCA fitted on the training part scores 0.08 / k on the test part.
  await expect(figure.locator('[data-summary=compare]')).toHaveText(
    'PCA fitted on the 100 images the models train on has test MSE 0.0800 at k = 1 … 0.0080 at ' +
      `k = 10 on ${heldOutWords}. The table of \`ae-demo reproduce\` is MNIST's, not my digits's: ` +
      '"Measure on my digits" trains one autoencoder per k = 2, 4, 6, 8, 10 here (quick preset, ' +
      '5 epochs each) to set beside it.',
  );
  await expect(figure.locator('figcaption')).toHaveText(
    'Autoencoder vs PCA on my digits: test error by latent size',
  );
  await expect(figure.locator('.chart')).toHaveAttribute('data-drawn', 'author 10||');
  await expect(figure.locator('.legend li')).toHaveText(['PCA (dashed)']);
  await expect(figure).toHaveAttribute('data-ks', '2,4,6,8,10');
  await expect(figure).not.toHaveAttribute('data-state');
  const calls = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  expect(calls).toContain('pcaTest');
  expect(calls).not.toContain('compare');
  expect(tables).toEqual([]);
});

test('Measure trains each k in the worker, rows arrive in order, and Cancel stops it', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-compare', { ...author, script: { ...author.script, hold: ['compare:row'] } });
  const figure = page.locator('ae-compare [data-figure=compare]');
  const status = figure.locator('[data-status=compare]');
  const summary = figure.locator('[data-summary=compare]');
  const measure = figure.getByRole('button', { name: 'Measure on my digits' });
  await measure.focus();
  await page.keyboard.press('Enter');
  await expect(status).toHaveText('Training the autoencoder with k = 2 (1 of 5), epoch 5 of 5…');
  await expect(figure).toHaveAttribute('data-state', 'measuring');
  await expect(figure.locator('progress')).toHaveCount(1);
  const asked = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'compare').map((c) => c.args),
  );
  expect(asked).toEqual([
    [
      'http://x/my-digits.gz\ntrain',
      'http://x/my-digits.gz\ntest',
      { ks: [2, 4, 6, 8, 10], components: 10, preset: 'quick', seed: 1 },
    ],
  ]);
  await page.evaluate(() => window.part.bridge.release('compare:row'));
  await expect(figure).toHaveAttribute('data-measured-ks', '2');
  await expect(summary).toContainText(
    'So far (1 of 5 latent sizes): the autoencoder beats PCA at k = 2 (AE/PCA 0.30), measured ' +
      `here on ${heldOutWords}. Test MSE per pixel, autoencoder / PCA: k = 2: 0.0120 / 0.0400.`,
  );
  await expect(figure.locator('.chart')).toHaveAttribute('data-drawn', 'author 10|2:0.012|');
  await expect(status).toHaveText('Training the autoencoder with k = 4 (2 of 5), epoch 5 of 5…');
  // The keyboard reader's focus follows: Measure becomes Cancel, and back.
  await expect(figure.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(figure).toHaveAttribute('data-state', 'cancelled');
  await expect(measure).toBeFocused();
  await expect(status).toHaveText('Cancelled after 1 of 5 latent sizes.');
  await expect(figure).toHaveAttribute('data-measured-ks', '2');
  await expect(figure.locator('progress')).toHaveCount(0);
  expect(await page.evaluate(() => window.part.bridge.cancelled)).toEqual(['compare:row']);
  // It can be measured again; a cancellation is no error.
  await expect(measure).toBeEnabled();
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a whole measurement: every k once, in order, in the chart, the sentence and the data', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-compare', author);
  const figure = page.locator('ae-compare [data-figure=compare]');
  await figure.getByRole('button', { name: 'Measure on my digits' }).click();
  await expect(figure).toHaveAttribute('data-state', 'done');
  await expect(figure).toHaveAttribute('data-measured-ks', '2,4,6,8,10');
  await expect(figure).toHaveAttribute('data-ae-mse', '0.012,0.012,0.012,0.012,0.012');
  await expect(figure).toHaveAttribute('data-pca-mse', '0.04,0.02,0.013333333333333334,0.01,0.008');
  await expect(figure.locator('[data-status=compare]')).toHaveText(
    'Measured 5 latent sizes (5.0 s of training).',
  );
  await expect(figure.locator('[data-summary=compare]')).toHaveText(
    'The autoencoder beats PCA at k = 2, 4, 6 and not at k = 8, 10 (AE/PCA 0.30 at k = 2 … 1.50 ' +
      `at k = 10), measured here on ${heldOutWords}. Test MSE per pixel, autoencoder / PCA: ` +
      'k = 2: 0.0120 / 0.0400, k = 4: 0.0120 / 0.0200, k = 6: 0.0120 / 0.0133, ' +
      'k = 8: 0.0120 / 0.0100, k = 10: 0.0120 / 0.0080. Each autoencoder: quick preset, relu ' +
      'bottleneck, seed 1, 5 epochs, 100 training images; PCA fitted on the 100 images the ' +
      'models train on.',
  );
  await expect(figure.locator('.chart')).toHaveAttribute(
    'data-drawn',
    'author 10|2:0.012,4:0.012,6:0.012,8:0.012,10:0.012|',
  );
  await expect(figure.locator('.legend li')).toHaveText([
    'autoencoder, measured here',
    'PCA (dashed)',
  ]);
  // Done: no button to press again, and the worker was asked once.
  await expect(figure.getByRole('button')).toHaveCount(0);
  const calls = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  expect(calls.filter((c) => c === 'compare')).toHaveLength(1);
  // The reader's own autoencoder on these images joins it, against PCA at its k.
  await page.evaluate((model) => window.part.store.show({ ...model, inputSize: 192 }), trainedAe);
  await expect(figure.locator('[data-summary=compare]')).toContainText(
    'Your autoencoder (3 epochs, trained here) (k = 4, the filled point): test MSE 0.0123, ' +
      'against 0.0200 for PCA.',
  );
  await expect(figure.locator('.chart')).toHaveAttribute(
    'data-drawn',
    'author 10|2:0.012,4:0.012,6:0.012,8:0.012,10:0.012|4:0.0123',
  );
  expect(await fired(page, 'ae-error')).toEqual([]);
});
