import { authorImages, expect, fired, test, trainedAe } from '../../../tests/parts/fixture.ts';

test('rebuilds the first ten test digits by PCA, the AE and the VAE, and scores each', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-reconstructions');
  const figure = page.locator('ae-reconstructions [data-figure=reconstructions]');
  for (const name of ['originals', 'pca', 'ae', 'vae']) {
    await expect(figure.locator(`canvas[data-digits=${name}]`)).toHaveAttribute(
      'data-drawn',
      'true',
    );
  }
  await expect(figure.locator('canvas[data-digits=ae]')).toHaveAttribute(
    'data-source',
    'pretrained',
  );
  await expect(figure.locator('canvas[data-digits=vae]')).toHaveAttribute(
    'data-source',
    'pretrained',
  );
  await expect(figure.locator('canvas[data-digits=originals]')).not.toHaveAttribute('data-source');
  // k = the AE's latent size (10); the fake PCA's error at k is 0.06 / k; the fake MSE is 0.0123.
  await expect(figure.locator('[data-summary=reconstructions]')).toHaveText(
    'Test MSE per pixel over the 100 test digits: PCA with 10 components 0.0060, ' +
      'the shipped autoencoder 0.0123, the shipped VAE (from μ) 0.0123; lower is better.',
  );
  await expect(figure.getByText('PCA, 10 components')).toBeVisible();
  const calls = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => ['images', 'pcaImages', 'reconstruct', 'mse'].includes(c.name))
      .map((c) => [c.name, ...c.args.map((a) => (ArrayBuffer.isView(a) ? 'pixels' : a))]),
  );
  const ten = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  expect(calls).toEqual(
    expect.arrayContaining([
      ['images', expect.any(String), ten],
      ['pcaImages', expect.any(String), 'pixels', 10],
      ['reconstruct', expect.stringMatching(/^ae/), expect.any(String), ten],
      ['reconstruct', expect.stringMatching(/^vae/), expect.any(String), ten],
      ['mse', expect.stringMatching(/^ae/), expect.any(String)],
      ['mse', expect.stringMatching(/^vae/), expect.any(String)],
    ]),
  );
  expect(calls).toHaveLength(6);
  expect(await fired(page, 'ae-error')).toEqual([]);
});

test('a model trained here replaces the shipped one: its row, its k for PCA, its score', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-reconstructions');
  const figure = page.locator('ae-reconstructions [data-figure=reconstructions]');
  const summary = figure.locator('[data-summary=reconstructions]');
  await expect(summary).toContainText('the shipped autoencoder 0.0123');
  await page.evaluate((model) => window.part.store.show({ ...model }), trainedAe);
  await expect(figure.locator('canvas[data-digits=ae]')).toHaveAttribute('data-source', 'trained');
  await expect(figure.locator('canvas[data-digits=ae]')).toHaveAttribute('data-drawn', 'true');
  await expect(summary).toContainText(
    'PCA with 4 components 0.0150, your autoencoder (3 epochs, trained here) 0.0123,',
  );
  const asked = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.args[0] === 'ae-trained').map((c) => c.name),
  );
  expect(asked.sort()).toEqual(['mse', 'reconstruct']);
});

test('a failed task is said in the figure and fired once', async ({ page, mountPart }) => {
  await mountPart('ae-reconstructions', {
    script: { fail: { pcaImages: 'no basis to project with' } },
  });
  const figure = page.locator('ae-reconstructions [data-figure=reconstructions]');
  await expect(figure.locator('[role=alert]')).toHaveText(
    /^\s*Could not draw this figure\.\s*no basis to project with\s*$/,
  );
  // The other rows still draw; PCA's waits.
  await expect(figure.locator('canvas[data-digits=vae]')).toHaveAttribute('data-drawn', 'true');
  await expect(figure.locator('canvas[data-digits=pca]')).toHaveCount(0);
  // Renders after the failure do not fire it again.
  await page.evaluate(() => window.part.store.changed());
  await expect(figure.locator('[data-summary=reconstructions]')).toContainText('0.0123;');
  const errors = await fired(page, 'ae-error');
  expect(errors).toEqual([{ code: 'INTERNAL', message: 'no basis to project with' }]);
});

test('before the models are loaded it says so, and PCA waits for the latent size', async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-reconstructions', { models: false });
  const figure = page.locator('ae-reconstructions [data-figure=reconstructions]');
  await expect(figure.locator('.pending')).toHaveText('Loading the shipped models…');
  await expect(figure.locator('[data-summary=reconstructions]')).toContainText(
    'over the … test digits: PCA with … components …, the autoencoder scoring…',
  );
  expect(await page.evaluate(() => window.part.bridge.calls.map((c) => c.name))).not.toContain(
    'pcaImages',
  );
});

test("on an author's 16 × 12 images: no shipped model, 'train one here', then the trained model's row", async ({
  page,
  mountPart,
}) => {
  await mountPart('ae-reconstructions', authorImages());
  const figure = page.locator('ae-reconstructions [data-figure=reconstructions]');
  const originals = figure.locator('canvas[data-digits=originals]');
  await expect(originals).toHaveAttribute('data-drawn', 'true');
  // Ten 16 × 12 images, 2 pixels apart.
  expect(await originals.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([
    138, 16,
  ]);
  await expect(figure.locator('[data-needs-model]')).toHaveText(
    'The shipped models take 28 × 28 digits, but these images are 16 × 12: this figure needs an ' +
      'autoencoder of that shape. Train one here (the training panel below, method "Autoencoder"). ' +
      'The VAE row needs a VAE of that shape too.',
  );
  const summary = figure.locator('[data-summary=reconstructions]');
  await expect(summary).toContainText(
    'over the 100 test images held out from my digits (its last 20 %, not trained on): ',
  );
  await expect(summary).toContainText(
    'the autoencoder none yet (train one here), the VAE (from μ) none yet (train one here)',
  );
  // The shipped models are never loaded for images they do not fit; the test set is the held-out part.
  const calls = await page.evaluate(() => window.part.bridge.calls.map((c) => c.name));
  expect(calls).not.toContain('loadModel');
  const loaded = await page.evaluate(() =>
    window.part.bridge.calls
      .filter((c) => c.name === 'loadDataset')
      .map((c) => (c.args[0] as { heldOut?: string }).heldOut ?? 'all'),
  );
  // The training part too: PCA is fitted on it and scored on the held-out part, as the models are.
  expect(loaded.sort()).toEqual(['all', 'test', 'train']);
  const scored = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'pcaTest').map((c) => c.args),
  );
  expect(scored).toEqual([['http://x/my-digits.gz\ntrain', 'http://x/my-digits.gz\ntest', 10]]);

  await page.evaluate((model) => window.part.store.show({ ...model, inputSize: 192 }), trainedAe);
  const ae = figure.locator('canvas[data-digits=ae]');
  await expect(ae).toHaveAttribute('data-drawn', 'true');
  expect(await ae.evaluate((c: HTMLCanvasElement) => [c.width, c.height])).toEqual([138, 16]);
  await expect(figure.locator('[data-needs-model]')).toContainText('needs a VAE of that shape');
  await expect(summary).toContainText('your autoencoder (3 epochs, trained here) 0.0123');
  // The fake PCA fitted on the training part scores 0.08 / k on the test part; k = 4.
  await expect(summary).toContainText(
    'PCA with 4 components 0.0200 (fitted on the 100 images the models train on), ',
  );
  await expect(figure.locator('canvas[data-digits=pca]')).toHaveAttribute('data-drawn', 'true');
  const basis = await page.evaluate(() =>
    window.part.bridge.calls.filter((c) => c.name === 'pcaImages').map((c) => c.args[0]),
  );
  expect(basis).toEqual(['http://x/my-digits.gz\ntrain']);
  expect(await fired(page, 'ae-error')).toEqual([]);
});
