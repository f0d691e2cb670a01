import { expect, test } from '../../../tests/parts/fixture.ts';

/** Sets the scatter's points: 4 digits at the corners of the unit square, labels 0..3, each digit's pixels a grey. */
async function points(page: import('@playwright/test').Page, props: Record<string, unknown>) {
  await page.evaluate((extra) => {
    const el = window.part.element as HTMLElement & Record<string, unknown>;
    Object.assign(el, {
      name: 'test',
      xy: new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]),
      labels: new Uint8Array([0, 1, 2, 3]),
      axes: ['u', 'v'],
      signature: 'square',
      theme: window.part.store.host.theme(),
      digit: (index: number) => Promise.resolve(new Uint8Array(784).fill(40 * index)),
      ...extra,
    });
  }, props);
}

test('a small scatter rings its mark and moves it, in the same chart', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-scatter', { pca: false, models: false });
  await points(page, { description: 'Four points', mark: { x: 0.25, y: 0.75, label: 'yours' } });
  const box = page.locator('ae-scatter [data-chart=test]');
  await expect(box).toHaveAttribute('data-drawn', 'square');
  await expect(box).toHaveAttribute('aria-label', 'Four points');
  const mark = box.locator('[data-mark]');
  await expect(mark).toBeVisible();
  await expect(mark).toHaveAttribute('data-x', '0.250');
  await page.evaluate(() => {
    (window.part.element as HTMLElement & { mark: unknown }).mark = { x: 1, y: 0, label: 'yours' };
  });
  await expect(mark).toHaveAttribute('data-x', '1.000');
  await expect(box.locator('canvas')).toHaveCount(1);
  // No mark: the ring goes.
  await page.evaluate(() => {
    (window.part.element as HTMLElement & { mark: unknown }).mark = undefined;
  });
  await expect(mark).toBeHidden();
});

test('an interactive scatter steps through its points by keys and shows each digit', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-scatter', { pca: false, models: false });
  await page.evaluate(() => {
    (window.part.element as HTMLElement & { interactive: boolean }).interactive = true;
  });
  await points(page, { description: 'Four points.' });
  const box = page.locator('ae-scatter [data-scatter=test]');
  await expect(box).toHaveAttribute('data-drawn', 'square');
  const live = page.locator('ae-scatter [data-live=test]');
  await expect(live).toHaveText(
    'Focus the plot and use the arrow keys to step through the digits.',
  );
  await box.focus();
  await page.keyboard.press('Home');
  await expect(live).toHaveText(/^Digit \d \(#\d\): u \d\.\d\d, v \d\.\d\d$/);
  const tooltip = page.locator('ae-scatter [data-tooltip]');
  await expect(tooltip.locator('canvas')).toHaveAttribute('data-drawn', /^\d$/);
  await page.keyboard.press('Escape');
  await expect(tooltip).toHaveCount(0);
});
