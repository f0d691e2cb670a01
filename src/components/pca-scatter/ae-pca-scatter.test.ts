import { expect, test } from '../../../tests/parts/fixture.ts';

test('the PC1–PC2 scatter: arrow keys pick a digit, its pixels come from the bridge, Escape clears', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-pca-scatter', { models: false });
  const figure = page.locator('ae-pca-scatter [data-figure=scatter]');
  await expect(figure.locator('[data-summary=scatter]')).toContainText('All 100 digits');
  const plot = figure.locator('[data-scatter=pca]');
  await expect(plot).toHaveAttribute('data-drawn', /:100$/);
  await plot.focus();
  await page.keyboard.press('ArrowRight');
  const live = figure.locator('[data-live=scatter]');
  await expect(live).toHaveText(/^Digit \d \(#\d+\): PC1 \S+, PC2 \S+$/);
  const index = (await live.textContent())!.match(/#(\d+)/)![1];
  const tooltip = figure.locator('[data-tooltip]');
  await expect(tooltip).toContainText(`· #${index}`);
  await expect(tooltip.locator('canvas')).toHaveAttribute('data-drawn', index);
  const asked = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'image').map((c) => c.args[1]),
  );
  expect(asked).toEqual([Number(index)]);
  await page.keyboard.press('Escape');
  await expect(tooltip).toHaveCount(0);
  await expect(live).toContainText('Focus the plot');
});

test('a chart module that cannot load is said in the box and fired once', async ({
  page,
  mountPart,
}) => {
  await page.route(/\/charts-[^/]*\.js$/, (route) => route.fulfill({ status: 404, body: '' }));
  await mountPart('ae-pca-scatter', { models: false });
  const box = page.locator('ae-pca-scatter [data-scatter=pca]');
  await expect(box.locator('[data-chart-error]')).toContainText('The charts could not load');
});
