import { expect, fired, test } from '../../../tests/parts/fixture.ts';

const calls = (page: import('@playwright/test').Page, name: string) =>
  page.evaluate((n) => window.part.bridge.calls.filter((c) => c.name === n).length, name);

test('the VAE’s plane decoded as a grid; the point moves by keys; the autoencoder spans its codes', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-walk');
  const figure = page.locator('ae-walk [data-figure=walk]');
  const grid = figure.locator('canvas[data-digits=walk-grid]');
  const point = figure.locator('canvas[data-digits=walk-point]');
  const thumb = figure.getByRole('slider');
  const summary = figure.locator('[data-summary=walk]');
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  await expect(summary).toContainText(
    'z1 runs across from −2.50 to 2.50 and z2 up from −2.50 to 2.50 (standard deviations of its prior). The other 8 dimensions stay at 0',
  );
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.00 across, z2 = 0.00 up');
  await expect(point).toHaveAttribute('data-point', 'z1 = 0.00 across, z2 = 0.00 up');

  // A twentieth of the range per arrow press; the point's digit is decoded again.
  const decodes = await calls(page, 'decode');
  await thumb.focus();
  await page.keyboard.press('ArrowRight');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.25 across, z2 = 0.00 up');
  await expect(point).toHaveAttribute('data-point', 'z1 = 0.25 across, z2 = 0.00 up');
  expect(await calls(page, 'decode')).toBeGreaterThan(decodes);

  // The autoencoder has no prior: its plane spans its test codes, from the store (one encode).
  await figure.getByLabel('Model').selectOption('ae');
  await expect(summary).toContainText("the 1st to 99th percentile of the test digits' codes");
  await expect(grid).toHaveAttribute('data-drawn', 'true');
  expect(await calls(page, 'encode')).toBe(1);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a decoder that fails is said in the figure and fired once', async ({ page, mountPart }) => {
  await mountPart('ae-walk', { script: { fail: { decode: 'the decoder broke' } } });
  const figure = page.locator('ae-walk [data-figure=walk]');
  await expect(figure.locator('[data-error=walk]')).toContainText(
    'Could not update this figure.the decoder broke',
  );
  await page.evaluate(() => window.part.store.changed());
  expect(await fired(page, 'ae-error')).toEqual([
    { code: 'INTERNAL', message: 'the decoder broke' },
  ]);
});

test('the walk follows the store’s view state (a link) and keeps the reader’s point there', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-walk');
  const figure = page.locator('ae-walk [data-figure=walk]');
  const thumb = figure.getByRole('slider');
  const point = figure.locator('canvas[data-digits=walk-point]');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z1 = 0.00 across, z2 = 0.00 up');
  // A link asks for z3 across and z1 up at a point, beyond the plane's edge on z1.
  await page.evaluate(() => {
    const view = window.part.store.view;
    view.update({ walk: { ...view.value.walk, dims: [2, 0] }, walkPoint: [1.5, -9] }, 'link');
  });
  await expect(figure.locator('[data-control=walk-x]')).toHaveValue('2');
  await expect(figure.locator('[data-control=walk-y]')).toHaveValue('0');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z3 = 1.50 across, z1 = −2.50 up');
  await expect(point).toHaveAttribute('data-point', 'z3 = 1.50 across, z1 = −2.50 up');
  // The reader's key press is the view state's point, inside the plane.
  await thumb.focus();
  await page.keyboard.press('ArrowUp');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z3 = 1.50 across, z1 = −2.25 up');
  expect(await page.evaluate(() => window.part.store.view.value.walkPoint)).toEqual([1.5, -2.25]);
  // Another dimension: the point goes back to where the others are held.
  await figure.locator('[data-control=walk-x]').selectOption('1');
  await expect(thumb).toHaveAttribute('aria-valuetext', 'z2 = 0.00 across, z1 = 0.00 up');
  expect(
    await page.evaluate(() => {
      const { walk, walkPoint } = window.part.store.view.value;
      return { dims: walk.dims, walkPoint: walkPoint ?? null };
    }),
  ).toEqual({ dims: [1, 0], walkPoint: null });
  expect(await fired(page, 'ae-error')).toEqual([]);
});
