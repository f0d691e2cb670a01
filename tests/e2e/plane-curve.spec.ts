import { expect, test } from '@playwright/test';
import { waitForFigure } from '../../src/testing/index.ts';
import {
  collectAeErrors,
  collectErrors,
  greyLevels,
  longTasksSince,
  pageNow,
  recordLongTasks,
} from './helpers.ts';

/**
 * The plane-and-curve view on the built site: PCA and the autoencoder run
 * in the worker when the figure scrolls into view, and the page shows the
 * reference text's argument with its own numbers: the autoencoder far ahead
 * on the curve, level with PCA on the plane.
 */
test('plane and curve: the autoencoder beats PCA on the curve and keeps level on the plane; drags and arrow keys turn the scatter', async ({
  page,
}, testInfo) => {
  const errors = collectErrors(page);
  const failures = await collectAeErrors(page);
  await recordLongTasks(page);
  await page.goto('./');
  const demo = page.locator('ae-demo');
  await demo.evaluate((el) => el.setAttribute('views', 'plane-curve'));
  const figure = demo.locator('[data-figure=plane-curve]');
  await expect(figure).toBeVisible({ timeout: 30_000 });
  await figure.scrollIntoViewIfNeeded();

  // Read the way a page that embeds the element would (ae-demo/testing's readFigure).
  const reading = await waitForFigure(
    demo,
    'plane-curve',
    (r) => r.data['plane-ae-mse'] !== undefined && r.data['curve-ae-mse'] !== undefined,
    { timeout: 120_000 },
  );
  const n = (name: string) => Number(reading.data[name]);
  expect(reading.data['plane-latent']).toBe('2');
  expect(reading.data['curve-latent']).toBe('1');
  expect(n('curve-ae-mse')).toBeLessThan(n('curve-pca-mse'));
  expect(n('plane-ae-mse')).toBeLessThanOrEqual(1.1 * n('plane-pca-mse'));
  // The sentences say the same numbers as the attributes.
  const mse = (v: number) => v.toPrecision(3);
  for (const shape of ['plane', 'curve']) {
    expect(reading.summary).toContain(
      `On the ${shape} the autoencoder's error is ${mse(n(`${shape}-ae-mse`))} against PCA's ${mse(n(`${shape}-pca-mse`))} (latent size ${reading.data[`${shape}-latent`]}; the autoencoder trained in`,
    );
  }
  testInfo.annotations.push({
    type: 'measured',
    description: ['plane', 'curve']
      .map(
        (s) =>
          `${s}: AE ${reading.data[`${s}-ae-mse`]} in ${reading.data[`${s}-ae-ms`]} ms, PCA ${reading.data[`${s}-pca-mse`]} in ${reading.data[`${s}-pca-ms`]} ms`,
      )
      .join('; '),
  });
  console.log(testInfo.annotations.at(-1)!.description);
  expect(reading.drawn).toBe(2);
  const canvas = figure.locator('canvas[data-scatter3d=curve]');
  expect(await greyLevels(canvas)).toBeGreaterThan(2);

  // A drag turns the curve's scatter, and arrow keys on the focused canvas turn it further.
  const t0 = await pageNow(page);
  await expect(canvas).toHaveAttribute('data-yaw', '30');
  const before = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(canvas).toHaveAttribute('data-yaw', '-10');
  await expect(canvas).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowRight');
  await expect(canvas).toHaveAttribute('data-yaw', '0');
  await expect(canvas).toHaveAttribute('data-pitch', '30');
  await expect
    .poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL()))
    .not.toBe(before);
  // Turning draws a frame at a time: no long task on the page's main thread.
  expect(await longTasksSince(page, t0)).toEqual([]);
  expect(failures).toEqual([]);
  expect(errors).toEqual([]);
});
