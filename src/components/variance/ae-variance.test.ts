import { expect, test } from '../../../tests/parts/fixture.ts';

test('draws the cumulative variance and says how many components reach 90 %', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-variance', { models: false });
  const figure = page.locator('ae-variance [data-figure=variance]');
  // The fake spectrum 1/i² (sum → π²/6) passes 90 % of its variance at 6 components (1.4914 / 1.6449).
  await expect(figure.locator('[data-summary=variance]')).toHaveText(
    /^\s*6 components explain 9\d\.\d\d % of the variance\.\s*$/,
  );
  await expect(figure.locator('.chart canvas')).toHaveCount(1);
  await expect(figure.locator('.chart')).toHaveAttribute('data-theme', /#1f2328/);
});

test('renders nothing before the PCA is done', async ({ page, mountPart }) => {
  await mountPart('ae-variance', { pca: false, models: false });
  await expect(page.locator('ae-variance figure')).toHaveCount(0);
});
