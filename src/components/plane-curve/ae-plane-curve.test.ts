import type { Locator, Page } from '@playwright/test';
import { expect, fired, test } from '../../../tests/parts/fixture.ts';

const PLANE =
  "On the plane the autoencoder's error is 0.000834 against PCA's 0.000817 (latent size 2; the autoencoder trained in 2.1 s, PCA took 3 ms).";
const CURVE =
  "On the curve the autoencoder's error is 0.00207 against PCA's 0.110 (latent size 1; the autoencoder trained in 2.1 s, PCA took 3 ms).";

const figureOf = (page: Page) => page.locator('ae-plane-curve [data-figure=plane-curve]');
const pixels = (canvas: Locator) => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
/** The planeCurve calls the fake bridge answered, as "shape/latent/seed". */
const runs = (page: Page) =>
  page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'planeCurve').map((c) => c.args.join('/')),
  );

test('both sets run one after the other when the figure shows: a sentence, data attributes and a scatter each', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-plane-curve', { pca: false, models: false });
  const figure = figureOf(page);
  const summary = figure.locator('[data-summary=plane-curve]');
  await expect(summary).toHaveText(`${PLANE} ${CURVE}`);
  expect(await runs(page)).toEqual(['plane/2/1', 'curve/1/1']);
  await expect(figure).toHaveAttribute('data-shown', 'both');
  await expect(figure).toHaveAttribute('data-plane-latent', '2');
  await expect(figure).toHaveAttribute('data-plane-pca-mse', '0.000817');
  await expect(figure).toHaveAttribute('data-plane-ae-mse', '0.000834');
  await expect(figure).toHaveAttribute('data-curve-latent', '1');
  await expect(figure).toHaveAttribute('data-curve-pca-mse', '0.11');
  await expect(figure).toHaveAttribute('data-curve-ae-mse', '0.00207');
  await expect(figure).toHaveAttribute('data-curve-ae-ms', '2100');
  await expect(figure).toHaveAttribute('data-curve-pca-ms', '3.0');
  await expect(figure).toHaveAttribute('data-curve-epochs', '4');
  for (const shape of ['plane', 'curve']) {
    const canvas = figure.locator(`canvas[data-scatter3d=${shape}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true');
    await expect(canvas).toHaveAttribute('tabindex', '0');
    await expect(canvas).toHaveAttribute('aria-label', /Drag, or use the arrow keys, to turn it/);
  }
  // One set alone: the other's panel and numbers go; nothing runs again.
  await figure.locator('[data-control=pc-shape]').selectOption('curve');
  await expect(figure.locator('canvas[data-scatter3d]')).toHaveCount(1);
  await expect(summary).toHaveText(CURVE);
  await expect(figure).not.toHaveAttribute('data-plane-ae-mse', /./);
  expect(await runs(page)).toEqual(['plane/2/1', 'curve/1/1']);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('arrow keys and a drag turn the scatter, and it is drawn again', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-plane-curve', { pca: false, models: false });
  const canvas = figureOf(page).locator('canvas[data-scatter3d=curve]');
  await expect(canvas).toHaveAttribute('data-drawn', 'true');
  await expect(canvas).toHaveAttribute('data-yaw', '30');
  await expect(canvas).toHaveAttribute('data-pitch', '20');
  const start = await pixels(canvas);

  await canvas.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  await expect(canvas).toHaveAttribute('data-yaw', '50');
  await expect(canvas).toHaveAttribute('data-pitch', '30');
  await expect(canvas).toHaveAttribute(
    'aria-label',
    /turned 50° about the vertical axis, seen from 30° above/,
  );
  expect(await pixels(canvas)).not.toBe(start);
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(canvas).toHaveAttribute('data-yaw', '20');
  // The pitch stops at straight below.
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowDown');
  await expect(canvas).toHaveAttribute('data-pitch', '-90');
  await page.keyboard.press('Home');
  await expect(canvas).toHaveAttribute('data-yaw', '30');
  await expect(canvas).toHaveAttribute('data-pitch', '20');
  await expect.poll(() => pixels(canvas)).toBe(start);

  // Dragging 60 px to the left turns it 30° back, 20 px down tilts it 10°.
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 60, box.y + box.height / 2 + 20, { steps: 6 });
  await page.mouse.up();
  await expect(canvas).toHaveAttribute('data-yaw', '0');
  await expect(canvas).toHaveAttribute('data-pitch', '30');
  // The other scatter kept its own rotation.
  await expect(figureOf(page).locator('canvas[data-scatter3d=plane]')).toHaveAttribute(
    'data-yaw',
    '30',
  );
});

test('a latent size chosen mid-run cancels that run; the new one is shown', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-plane-curve', {
    pca: false,
    models: false,
    script: { hold: ['planeCurve'] },
  });
  const figure = figureOf(page);
  await figure.locator('[data-control=pc-shape]').selectOption('curve');
  const summary = figure.locator('[data-summary=plane-curve]');
  await expect.poll(() => runs(page)).toContain('curve/1/1');
  await figure.locator('[data-control=pc-latent-curve]').selectOption('2');
  await expect.poll(() => runs(page)).toContain('curve/2/1');
  await page.evaluate(() => window.part.bridge.release('planeCurve'));
  await expect(summary).toHaveText(
    "On the curve the autoencoder's error is 0.00207 against PCA's 0.0550 (latent size 2; the autoencoder trained in 2.1 s, PCA took 3 ms).",
  );
  await expect(figure).toHaveAttribute('data-curve-latent', '2');
  // The cancelled run (and the plane's, which the choice of the curve alone dropped) said nothing.
  expect(await fired(page, 'ae-error')).toEqual([]);
  await expect(figure.locator('[data-error=plane-curve]')).toHaveCount(0);
});

test('new points, and marks the reader hides', async ({ page, mountPart }) => {
  await mountPart('ae-plane-curve', { pca: false, models: false });
  const figure = figureOf(page);
  const canvas = figure.locator('canvas[data-scatter3d=plane]');
  await expect(figure.locator('[data-summary=plane-curve]')).toHaveText(`${PLANE} ${CURVE}`);
  const all = await pixels(canvas);
  await figure.getByLabel('PCA (orange squares)').uncheck();
  await expect(canvas).toHaveAttribute(
    'aria-label',
    /the points, the autoencoder's reconstruction shown/,
  );
  await expect.poll(() => pixels(canvas)).not.toBe(all);

  await figure.getByRole('button', { name: 'Run again with new points' }).click();
  await expect(figure).toHaveAttribute('data-seed', '2');
  await expect(figure.locator('[data-summary=plane-curve]')).toHaveText(
    `${PLANE.replace('2.1 s', '2.2 s')} ${CURVE.replace('2.1 s', '2.2 s')}`,
  );
  expect(await runs(page)).toEqual(['plane/2/1', 'curve/1/1', 'plane/2/2', 'curve/1/2']);
});

test('a failure in the worker shows in the figure and fires ae-error, once per set', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-plane-curve', {
    pca: false,
    models: false,
    script: { fail: { planeCurve: 'the backend broke' } },
  });
  const figure = figureOf(page);
  await expect(figure.locator('[data-error=plane-curve]')).toContainText('the backend broke');
  await expect.poll(() => runs(page)).toEqual(['plane/2/1', 'curve/1/1']);
  await expect
    .poll(() => fired(page, 'ae-error'))
    .toEqual([
      { code: 'INTERNAL', message: 'the backend broke' },
      { code: 'INTERNAL', message: 'the backend broke' },
    ]);
  await expect(figure).not.toHaveAttribute('data-curve-ae-mse', /./);
});
