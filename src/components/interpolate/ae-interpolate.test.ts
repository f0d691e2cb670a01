import { expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';

test('three rows from one test digit to another: the crossfade and both models’ decodings', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-interpolate');
  const figure = page.locator('ae-interpolate [data-figure=interpolate]');
  for (const name of ['interp-a', 'interp-b', 'interp-pixels', 'interp-ae', 'interp-vae']) {
    await expect(figure.locator(`canvas[data-digits=${name}]`)).toHaveAttribute(
      'data-drawn',
      'true',
    );
  }
  const labels = await page.evaluate(async () => (await window.part.store.testDigits()).labels!);
  const summary = figure.locator('[data-summary=interpolate]');
  await expect(summary).toContainText(
    `From a ${labels[0]} (test digit #0) to a ${labels[1]} (test digit #1) in 10 even steps`,
  );
  await expect(summary).toContainText(
    'in the shipped autoencoder and the shipped VAE (its means μ)',
  );
  // Each model encodes the two digits once and decodes the ten points between their codes.
  const calls = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => c.name === 'encodePixels' || c.name === 'decode')
      .map((c) => `${c.name}:${String(c.args[0]).replace(/-.*/, '')}`)
      .sort(),
  );
  expect(calls).toEqual(['decode:ae', 'decode:vae', 'encodePixels:ae', 'encodePixels:vae']);

  // Another pair.
  await figure.getByLabel('to #').fill('7');
  await figure.getByLabel('to #').press('Enter');
  await expect(summary).toContainText(`to a ${labels[7]} (test digit #7)`);
});

test('a digit outside the test set is refused in words, not fired', async ({ page, mountPart }) => {
  await mountPart('ae-interpolate');
  const figure = page.locator('ae-interpolate [data-figure=interpolate]');
  await expect(figure.locator('canvas[data-digits=interp-vae]')).toHaveAttribute(
    'data-drawn',
    'true',
  );
  await figure.getByLabel('to #').fill('100');
  await figure.getByLabel('to #').press('Enter');
  await expect(figure.locator('[data-error=interpolate]')).toContainText(
    'Choose two test digits from 0 to 99.',
  );
  // Back to a good one: the rows shown again, the words gone.
  await figure.getByLabel('to #').fill('1');
  await figure.getByLabel('to #').press('Enter');
  await expect(figure.locator('[data-error=interpolate]')).toHaveCount(0);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

// Replaced while its decode waits in the worker, or before its work with the model began.
for (const [held, count] of [
  ['decode', 2],
  ['images', 1],
] as const) {
  test(`work for a model that another replaced (${held} held) ends quietly; the new one is drawn`, async ({
    page,
    mountPart,
  }) => {
    await mountPart('ae-interpolate', { script: { hold: [held] } });
    const figure = page.locator('ae-interpolate [data-figure=interpolate]');
    await expect
      .poll(() =>
        page.evaluate((n) => window.part.bridge.calls.filter((c) => c.name === n).length, held),
      )
      .toBe(count);
    // A model trained here takes the autoencoder's place: the shipped one is freed.
    await page.evaluate((model) => window.part.store.show({ ...model }), trainedAe);
    // Let every held call through (the new run's too) until the new model's rows are drawn.
    const summary = figure.locator('[data-summary=interpolate]');
    await expect
      .poll(async () => {
        await page.evaluate((n) => window.part.bridge.release(n), held);
        return summary.textContent();
      })
      .toContain('in your autoencoder (3 epochs, trained here)');
    await expect(figure.locator('canvas[data-digits=interp-ae]')).toHaveAttribute(
      'data-drawn',
      'true',
    );
    expect(await fired(page, 'ae-error')).toEqual([]);
  });
}

test('the interpolation follows the store’s view state (a link) and writes the reader’s digits there', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-interpolate');
  const figure = page.locator('ae-interpolate [data-figure=interpolate]');
  const summary = figure.locator('[data-summary=interpolate]');
  await expect(summary).toContainText('(test digit #0) to');
  await page.evaluate(() => window.part.store.view.update({ interpolate: [4, 6] }, 'link'));
  await expect(summary).toContainText('(test digit #4) to');
  await expect(summary).toContainText('(test digit #6) in 10 even steps');
  await expect(figure.getByLabel('From test digit #')).toHaveValue('4');
  await figure.getByLabel('From test digit #').fill('2');
  await figure.getByLabel('From test digit #').press('Enter');
  await expect(summary).toContainText('(test digit #2) to');
  expect(await page.evaluate(() => window.part.store.view.value.interpolate)).toEqual([2, 6]);
  expect(await fired(page, 'ae-error')).toEqual([]);
});
