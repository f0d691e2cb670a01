import { readFileSync } from 'node:fs';
import { expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';
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
