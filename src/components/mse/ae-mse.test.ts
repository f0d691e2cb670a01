import { expect, test } from '../../../tests/parts/fixture.ts';

test("draws PCA's reconstruction error for every k and sums it up", async ({ page, mountPart }) => {
  await mountPart('ae-mse', { models: false });
  const figure = page.locator('ae-mse [data-figure=mse]');
  // The fake errors are 0.06 / k for k = 1..10.
  await expect(figure.locator('[data-summary=mse]')).toContainText(
    'falls from 0.0600 with 1 component to 0.0060 with 10',
  );
  await expect(figure.locator('.chart canvas')).toHaveCount(1);
});
