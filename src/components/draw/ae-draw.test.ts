import { expect, fired, test } from '../../../tests/parts/fixture.ts';

test('a test digit put on the pad is placed on both scatters and rebuilt by the three methods', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-draw');
  const figure = page.locator('ae-draw [data-figure=draw]');
  const summary = figure.locator('[data-summary=draw]');
  await expect(summary).toContainText('Draw a digit on the pad, or put a test digit on it');
  await expect(figure.locator('[data-chart=draw-pca]')).toHaveAttribute('data-drawn', /.+/);
  await expect(figure.locator('[data-chart=draw-latent]')).toHaveAttribute('data-drawn', /^ae/);

  await figure.getByLabel('Test digit #').fill('3');
  await figure.getByRole('button', { name: 'Put it on the pad' }).click();
  for (const name of ['input', 'pca', 'ae', 'vae']) {
    await expect(figure.locator(`canvas[data-digits=draw-${name}]`)).toHaveAttribute(
      'data-drawn',
      'true',
    );
  }
  await expect(figure.locator('[data-chart=draw-pca] [data-mark]')).toBeVisible();
  await expect(figure.locator('[data-chart=draw-latent] [data-mark]')).toBeVisible();
  await expect(summary).toHaveText(
    /^\s*Your digit lands (among|mostly near) the \ds on PC1–PC2: \d+ of its 20 nearest test digits there are \ds; the nearest is a \d \(#\d+\)\. With all 10 numbers of the autoencoder's code, its nearest test digit is a \d \(#\d+\)\. Rebuilt with MSE \d\.\d{4} by PCA \(10 components\), \d\.\d{4} by the autoencoder, \d\.\d{4} by the VAE\.\s*$/,
  );
  const asked = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  for (const name of ['image', 'pcaImages', 'encodePixels', 'reconstructPixels']) {
    expect(asked).toContain(name);
  }

  // Cleared: the words and the rings go.
  await figure.getByRole('button', { name: 'Clear' }).click();
  await expect(summary).toContainText('Draw a digit on the pad');
  await expect(figure.locator('[data-chart=draw-pca] [data-mark]')).toBeHidden();
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a test digit that is not there is refused in words', async ({ page, mountPart }) => {
  await mountPart('ae-draw');
  const figure = page.locator('ae-draw [data-figure=draw]');
  await figure.getByLabel('Test digit #').fill('100');
  await figure.getByRole('button', { name: 'Put it on the pad' }).click();
  await expect(figure.locator('[data-error=draw]')).toContainText(
    'Choose a test digit from 0 to 99.',
  );
  expect(await page.evaluate(() => window.part.bridge.calls.some((c) => c.name === 'image'))).toBe(
    false,
  );
});
