import { authorImages, expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';

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

test("on an author's 16 × 12 images: 'train one here', then two held-out test images by index, decoded at 16 × 12", async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-interpolate', authorImages());
  const figure = page.locator('ae-interpolate [data-figure=interpolate]');
  const summary = figure.locator('[data-summary=interpolate]');
  await expect(summary).toHaveText(
    'The shipped models take 28 × 28 digits, but these images are 16 × 12: this figure needs an ' +
      'autoencoder or a VAE of that shape. Train one here (the training panel below, method ' +
      '"Autoencoder" or "VAE").',
  );
  await expect(summary).toHaveAttribute('data-needs-model', '');
  const asked = () =>
    page.evaluate(() =>
      window.part.bridge.calls
        .filter((c) => ['images', 'encodePixels', 'decode'].includes(c.name))
        .map((c) => c.name),
    );
  expect(await asked()).toEqual([]);

  // An autoencoder of that shape trained here: its row, and words for the missing VAE.
  await page.evaluate(
    (model) => window.part.store.show({ ...model, inputSize: 192, latentSize: 10 }),
    trainedAe,
  );
  for (const name of ['interp-a', 'interp-b', 'interp-pixels', 'interp-ae']) {
    const canvas = figure.locator(`canvas[data-digits=${name}]`);
    await expect(canvas).toHaveAttribute('data-drawn', 'true');
    await expect(canvas).toHaveAttribute('data-shape', '16x12');
  }
  const size = (name: string) =>
    figure
      .locator(`canvas[data-digits=${name}]`)
      .evaluate((c: HTMLCanvasElement) => [c.width, c.height]);
  expect(await size('interp-a')).toEqual([12, 16]);
  // Ten 16 × 12 images, 2 pixels apart.
  expect(await size('interp-pixels')).toEqual([138, 16]);
  expect(await size('interp-ae')).toEqual([138, 16]);
  await expect(figure.locator('canvas[data-digits=interp-vae]')).toHaveCount(0);
  await expect(figure.locator('[data-missing=vae]')).toHaveText(
    'None of 16 × 12 yet: train one here.',
  );
  await expect(summary).toHaveText(
    'From test image #0 to test image #1 in 10 even steps (images of 16 × 12 pixels): the plain ' +
      'crossfade of their pixels, then the decodings of points on the straight line between their ' +
      'codes in your autoencoder (3 epochs, trained here). The crossfade shows both images at once ' +
      'half-way; a decoder draws one shape.',
  );
  // The two images drawn are the held-out test set's, pixel for pixel (the fake's ramp of 2 × 192).
  const ink = (name: string) =>
    figure.locator(`canvas[data-digits=${name}]`).evaluate((c: HTMLCanvasElement) => {
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      return Array.from({ length: c.width * c.height }, (_, p) => 255 - data[4 * p]);
    });
  const ramp = Array.from({ length: 2 * 192 }, (_, i) => i % 256);
  expect(await ink('interp-a')).toEqual(ramp.slice(0, 192));
  expect(await ink('interp-b')).toEqual(ramp.slice(192));
  const sent = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => c.name === 'images' || c.name === 'encodePixels')
      .map((c) => [c.name, c.name === 'images' ? c.args[0] : (c.args[1] as Uint8Array).length]),
  );
  expect(sent).toEqual([
    ['images', 'http://x/my-digits.gz\ntest'],
    ['encodePixels', 384],
  ]);

  // No labels: "Pick two at random" picks two different images by index (a second draw of
  // the same one is drawn again). Math.random is scripted: 37, 37 again, then 52.
  await page.evaluate(() => {
    const draws = [0.37, 0.37, 0.52];
    Math.random = () => draws.shift() ?? 0.5;
  });
  await figure.getByRole('button', { name: 'Pick two at random' }).click();
  await expect(summary).toContainText('From test image #37 to test image #52 in 10 even steps');
  expect(await page.evaluate(() => window.part.store.view.value.interpolate)).toEqual([37, 52]);
  // Past the end of the 100 test images: refused in words about images.
  await figure.getByLabel('to #').fill('100');
  await figure.getByLabel('to #').press('Enter');
  await expect(figure.locator('[data-error=interpolate]')).toContainText(
    'Choose two test images from 0 to 99.',
  );
  const loads = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'loadModel'),
  );
  expect(loads).toEqual([]);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a model of another shape than the images (kept after they changed) is refused in words, nothing encoded', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-interpolate', authorImages({ heldOut: false }));
  await page.evaluate((model) => window.part.store.show({ ...model, latentSize: 10 }), trainedAe);
  await expect(page.locator('ae-interpolate [data-error=interpolate]')).toContainText(
    'Your autoencoder (3 epochs, trained here) takes 784 pixels, but these images are 16 × 12 (192): train one of their shape here.',
  );
  const asked = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'encodePixels' || c.name === 'decode'),
  );
  expect(asked).toEqual([]);
  expect(await fired(page, 'ae-error')).toEqual([]);
});
