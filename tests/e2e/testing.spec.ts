import { expect, test } from '@playwright/test';
import {
  collectAeErrors,
  collectLongTasks,
  readFigure,
  trainTiny,
  waitForFigure,
  waitForReady,
} from '../../src/testing/index.ts';
import { routeDemoMarkup } from './helpers.ts';

/**
 * ae-demo/testing (src/testing/index.ts), the helpers the package ships for
 * pages that embed <ae-demo>, used on the demo page so they stay true.
 */
test('waitForReady, readFigure and collectLongTasks read the PCA figures', async ({ page }) => {
  const longTasks = await collectLongTasks(page);
  const errors = await collectAeErrors(page);
  await page.goto('./');
  const demo = page.locator('ae-demo').first();
  const ready = await waitForReady(demo);
  expect(ready.summary).toBe('84 components explain 90.07 % of the variance.');
  expect(ready.numbers).toEqual([84, 90.07]);
  expect(ready.data.figure).toBe('variance');
  expect(ready.canvases).toBeGreaterThan(0);
  const mse = await waitForFigure(demo, 'mse', (r) => r.numbers.includes(0.0339));
  expect(mse.summary).toContain('0.0339 with 10');
  expect(await readFigure(demo, 'no-such-figure')).toBeNull();
  // Chromium has the Long Tasks API: a list (maybe empty), not null.
  expect(Array.isArray(await longTasks())).toBe(true);
  expect(await errors()).toEqual([]);
});

test('trainTiny runs a seeded training to its ae-trained event; the same seed scores the same', async ({
  page,
}) => {
  await page.goto('./');
  const demo = page.locator('ae-demo').first();
  await waitForReady(demo);
  const first = await trainTiny(demo, { epochs: 1, trainSize: 500, seed: 7 });
  expect(first).toMatchObject({ kind: 'ae', epochs: 1, trainCount: 500, seed: 7 });
  expect(first.testScore).toBeGreaterThan(0);
  const again = await trainTiny(demo, { epochs: 1, trainSize: 500, seed: 7 });
  expect(again.testScore).toBe(first.testScore);
  const loss = await waitForFigure(demo, 'loss', (r) => r.data.epochs === '1');
  expect(loss.data.epochs).toBe('1');
});

test('collectAeErrors gets an invalid attribute’s error in words', async ({ page }) => {
  const errors = await collectAeErrors(page);
  await routeDemoMarkup(page, '<ae-demo components="0"></ae-demo>');
  await page.goto('./');
  await expect.poll(async () => (await errors()).length).toBeGreaterThan(0);
  const [error] = await errors();
  expect(error.code).toBe('BAD_ARGUMENT');
  expect(error.message).toMatch(/components/);
});
